package strictjson

import (
	"strings"
	"testing"
)

type inner struct {
	Model string `json:"model"`
}

type outer struct {
	inner
	Sigmas []float64 `json:"sigmas"`
	Skip   int       `json:"-"`
	Plain  bool
}

func TestUnknownFieldNamed(t *testing.T) {
	var o outer
	err := Unmarshal([]byte(`{"sigma": [1], "model": "x"}`), &o)
	if err == nil {
		t.Fatal("unknown field accepted")
	}
	for _, want := range []string{`"sigma"`, "Plain, model, sigmas"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if err := Unmarshal([]byte(`{"sigmas": [1, 2], "model": "m"} `), &o); err != nil || o.Model != "m" || len(o.Sigmas) != 2 {
		t.Errorf("valid JSON: %v, %+v", err, o)
	}
	for _, bad := range []string{`{"sigmas": [1]} {}`, `{"sigmas": [1]} x`, ``, `{`, `{"Skip": 1}`} {
		if err := Unmarshal([]byte(bad), &o); err == nil {
			t.Errorf("Unmarshal(%q) succeeded", bad)
		}
	}
}
