package models_test

import (
	"strings"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/models"
)

// TestParseName: every valid name parses back to its family and variant, and partial or unknown names are
// errors listing the valid names (issue 14, fault 6: "lenet5" panicked the paper preset).
func TestParseName(t *testing.T) {
	for _, name := range models.Names() {
		v, err := models.ParseName(name)
		if err != nil {
			t.Fatalf("ParseName(%q): %v", name, err)
		}
		suffix := map[[2]bool]string{{false, false}: "nobn", {true, true}: "bn", {true, false}: "bn-nonoise"}[[2]bool{v.BN, v.BNSite}]
		if got := v.Family + "-" + suffix; got != name {
			t.Errorf("ParseName(%q) = %+v, which names %q", name, v, got)
		}
	}
	for _, bad := range []string{"", "-", "lenet5", "lenet5-", "mlp-tfc", "cnn-s", "bn", "-bn", "lenet5-BN",
		"LeNet5-bn", "lenet5-bn-", "lenet5-nonoise", "lenet5-bn-nonoise-bn", " lenet5-bn", "mlp-tfc-bn\x00"} {
		_, err := models.ParseName(bad)
		if err == nil {
			t.Errorf("ParseName(%q) succeeded", bad)
			continue
		}
		if !strings.Contains(err.Error(), "lenet5-bn, lenet5-bn-nonoise") {
			t.Errorf("ParseName(%q): error %q does not list the valid names", bad, err)
		}
	}
	if _, err := models.ParseName("lenet5"); err == nil || !strings.Contains(err.Error(), "lenet5-bn") ||
		!strings.Contains(err.Error(), "family") {
		t.Errorf("ParseName(lenet5): %v, want a hint that it is a family", err)
	}
}
