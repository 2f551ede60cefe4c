package study_test

import (
	"fmt"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/analysis"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
	"github.com/walkingnoise/walkingnoise/noisylib/results"
	"github.com/walkingnoise/walkingnoise/noisylib/study"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// TestNotebookStoreReadsAlone: a notebook's walk (quick preset) read back by name from the shared store after the
// environment changed to another preset gives the same plan and curves: readers no longer depend on
// $WALKINGNOISE_PRESET, which would now build another plan.
func TestNotebookStoreReadsAlone(t *testing.T) {
	datatest.RegisterStripes()
	t.Setenv(study.EnvOut, t.TempDir())
	t.Setenv(study.EnvPreset, "quick")
	spec := walk.PlanSpec{Setup: walk.Setup{Model: "mlp-tfc-bn", Data: datatest.StripesName, Epochs: 2, LR: 1e-2},
		Modes: []walk.Mode{walk.Inference}, Sites: []int{2, 4}}
	plan, curves, err := study.Walk(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(study.EnvPreset, "standard")
	if rebuilt, err := study.Plan(spec); err != nil || len(rebuilt.Points) == len(plan.Points) {
		t.Fatalf("the standard preset builds %d points (%v), want another plan than quick's %d", len(rebuilt.Points), err, len(plan.Points))
	}
	st, err := results.OpenExisting(study.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored, err := walk.LoadPlan(st, plan.Name)
	if err != nil {
		t.Fatal(err)
	}
	again, err := walk.Curves(st, stored)
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 2 || len(stored.Points) != len(plan.Points) || fmt.Sprintf("%#v", again) != fmt.Sprintf("%#v", curves) {
		t.Errorf("read by name: %d points, curves\n%#v\nwant %d points, curves\n%#v", len(stored.Points), again, len(plan.Points), curves)
	}
	for _, c := range again {
		if c.Mid.Censored != analysis.None {
			t.Errorf("%s: midpoint %s, want one measured inside the quick grid", c.Name, c.Mid)
		}
	}
}
