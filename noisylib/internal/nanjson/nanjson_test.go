package nanjson

import (
	"math"
	"strings"
	"testing"
)

type inner struct {
	X float64 `json:"x"`
}

type record struct {
	A    float64   `json:"a"`
	B    []float64 `json:"b"`
	In   []inner   `json:"in"`
	Name string    `json:"name"`
}

func TestRoundTripNonFinite(t *testing.T) {
	in := record{A: math.NaN(), B: []float64{math.Inf(1), math.Inf(-1), 0.1, -0, 1e-310, math.MaxFloat64},
		In: []inner{{X: math.NaN()}, {X: 2.5}}, Name: "NaN"}
	b, err := Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":"NaN","b":["+Inf","-Inf",0.1,0,1e-310,1.7976931348623157e+308],"in":[{"x":"NaN"},{"x":2.5}],"name":"NaN"}`
	if string(b) != want {
		t.Fatalf("Marshal:\n got %s\nwant %s", b, want)
	}
	var out record
	if err := Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(out.A) || !math.IsNaN(out.In[0].X) || out.In[1].X != 2.5 || out.Name != "NaN" {
		t.Errorf("decoded %+v", out)
	}
	for i, v := range in.B {
		if math.Float64bits(out.B[i]) != math.Float64bits(v) {
			t.Errorf("B[%d] = %v, want %v bit for bit", i, out.B[i], v)
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"a":1,"typo":2}`, "typo"},
		{`{"a":"nan"}`, `"nan"`},
		{`{"a":1,"a":2}`, "duplicate"},
	} {
		var r record
		err := Unmarshal([]byte(tc.in), &r)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Unmarshal(%s) = %v, want an error mentioning %s", tc.in, err, tc.want)
		}
	}
}
