package nbviz

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/janpfeifer/gonb/gonbui"
)

// Check records a finding of the notebook: when ok it prints "FINDING OK: <finding>", otherwise
// it prints "FINDING FAILED: <finding>" and panics with that same message, so that a headless
// notebook run fails. With args, finding is a fmt format string.
func Check(ok bool, finding string, args ...any) { record("FINDING", ok, finding, args) }

// Sanity records a sanity check: a consequence of the method or of algebra that must hold if the code is
// right, but that is no finding about networks (e.g. averaging B noise draws recovers accuracy). When ok it
// prints "SANITY OK: <what>", otherwise "SANITY FAILED: <what>" and panics with that message, so that a
// headless notebook run fails. With args, what is a fmt format string.
func Sanity(ok bool, what string, args ...any) { record("SANITY", ok, what, args) }

// record prints "<kind> OK: …" or "<kind> FAILED: …" and panics on failure (Check and Sanity).
func record(kind string, ok bool, what string, args []any) {
	if len(args) > 0 {
		what = fmt.Sprintf(what, args...)
	}
	if ok {
		fmt.Fprintf(stdout, "%s OK: %s\n", kind, what)
		return
	}
	msg := kind + " FAILED: " + what
	fmt.Fprintln(stdout, msg)
	panic(msg)
}

// Table shows a table: as an HTML table inside GoNB, otherwise as aligned plain text with a
// dashed rule under the header. Rows shorter than the header are padded with empty cells;
// longer rows are shown in full. Cell text is escaped for HTML.
func Table(header []string, rows [][]string) {
	if inNotebook() {
		gonbui.DisplayHTML(tableHTML(header, rows))
		return
	}
	fmt.Fprint(stdout, tableText(header, rows))
}

// width returns the number of columns of the table.
func width(header []string, rows [][]string) int {
	n := len(header)
	for _, r := range rows {
		n = max(n, len(r))
	}
	return n
}

// pad returns r extended with empty cells to n cells.
func pad(r []string, n int) []string {
	out := make([]string, n)
	copy(out, r)
	return out
}

// tableHTML renders the table as an HTML <table>.
func tableHTML(header []string, rows [][]string) string {
	n := width(header, rows)
	var b strings.Builder
	b.WriteString("<table>\n")
	if len(header) > 0 {
		b.WriteString("<thead><tr>")
		for _, h := range pad(header, n) {
			fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
		}
		b.WriteString("</tr></thead>\n")
	}
	b.WriteString("<tbody>\n")
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range pad(r, n) {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n")
	return b.String()
}

// tableText renders the table as left-aligned columns separated by two spaces, with a dashed
// rule under the header. Widths count runes, so "σ" is one column wide.
func tableText(header []string, rows [][]string) string {
	n := width(header, rows)
	all := rows
	if len(header) > 0 {
		all = append([][]string{header}, rows...)
	}
	w := make([]int, n)
	for _, r := range all {
		for i, c := range r {
			w[i] = max(w[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		var l strings.Builder
		for i, c := range cells {
			if i > 0 {
				l.WriteString("  ")
			}
			l.WriteString(c)
			l.WriteString(strings.Repeat(" ", w[i]-utf8.RuneCountInString(c)))
		}
		b.WriteString(strings.TrimRight(l.String(), " "))
		b.WriteByte('\n')
	}
	if len(header) > 0 {
		line(pad(header, n))
		rule := make([]string, n)
		for i := range rule {
			rule[i] = strings.Repeat("-", w[i])
		}
		line(rule)
	}
	for _, r := range rows {
		line(pad(r, n))
	}
	return b.String()
}

// Markdown shows md rendered as Markdown inside GoNB (with $…$ LaTeX), otherwise prints it as
// plain text followed by a newline.
func Markdown(md string) {
	if inNotebook() {
		gonbui.DisplayMarkdown(md)
		return
	}
	fmt.Fprintln(stdout, md)
}
