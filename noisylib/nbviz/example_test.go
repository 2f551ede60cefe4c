package nbviz_test

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/nbviz"
)

// A progress bar for a notebook cell: in GoNB one HTML block updated in place and erased at the end;
// outside GoNB (as here) it draws nothing.
func ExampleNewProgress() {
	bar := nbviz.NewProgress("plan x", 40)
	for range 40 {
		_ = bar.Add(1)
	}
	_ = bar.Finish()
	fmt.Println("plan x: 40 points run")
	// Output: plan x: 40 points run
}
