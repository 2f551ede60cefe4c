package nbviz

// The notebooks unwrap (value, error) results with github.com/janpfeifer/must (must.M1, must.M2). Importing it
// here keeps it a requirement of this module, so GoNB resolves it from the module graph instead of asking the
// module proxy for its latest version (which the proxy used here refuses).
import _ "github.com/janpfeifer/must"
