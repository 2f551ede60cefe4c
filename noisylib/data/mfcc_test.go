package data_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/data/datatest"
)

// naiveMFCC is a second, plain implementation of the reference's front end (method.md §3), written from the
// formulas with no shared code: a direct O(N²) DFT instead of the FFT, the mel filterbank evaluated per bin
// and band from the HTK formula, and the DCT-II sum as tf.signal.dct(type=2) defines it, scaled by 1/√(2N).
// It returns [frame][coefficient].
func naiveMFCC(x []float64) [][]float64 {
	peak := math.Inf(-1)
	for _, v := range x {
		peak = math.Max(peak, v)
	}
	sig := make([]float64, 16000)
	for i := 0; i < len(x) && i < 16000; i++ {
		v := x[i]
		if peak != 0 {
			v /= peak
		}
		sig[i] = math.Max(-1, math.Min(1, v))
	}
	mel := func(f float64) float64 { return 1127 * math.Log(1+f/700) }
	edge := func(i int) float64 { return mel(20) + float64(i)*(mel(4000)-mel(20))/41 }
	var out [][]float64
	for start := 0; start+480 <= 16000; start += 320 {
		mag := make([]float64, 257)
		for k := range 257 {
			var re, im float64
			for n := range 480 {
				w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(n)/480)
				a := -2 * math.Pi * float64(k) * float64(n) / 512
				re += sig[start+n] * w * math.Cos(a)
				im += sig[start+n] * w * math.Sin(a)
			}
			mag[k] = math.Hypot(re, im)
		}
		logMel := make([]float64, 40)
		for j := range 40 {
			var s float64
			for k := 1; k < 257; k++ {
				m := mel(float64(k) * 8000 / 256)
				up := (m - edge(j)) / (edge(j+1) - edge(j))
				down := (edge(j+2) - m) / (edge(j+2) - edge(j+1))
				if t := math.Min(up, down); t > 0 {
					s += t * mag[k]
				}
			}
			logMel[j] = math.Log(s + 1e-6)
		}
		coef := make([]float64, 10)
		for c := range 10 {
			var s float64
			for n := range 40 {
				s += 2 * logMel[n] * math.Cos(math.Pi*float64(c)*float64(2*n+1)/80)
			}
			coef[c] = s / math.Sqrt(80)
		}
		out = append(out, coef)
	}
	return out
}

// mfccOfWAV writes samples as a WAV file, reads it back and returns its features.
func mfccOfWAV(t *testing.T, samples []int16) []float32 {
	t.Helper()
	p := filepath.Join(t.TempDir(), "clip.wav")
	if err := datatest.WriteWAV(p, samples); err != nil {
		t.Fatal(err)
	}
	x, err := data.ReadWAV(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != len(samples) {
		t.Fatalf("ReadWAV: %d samples, wrote %d", len(x), len(samples))
	}
	for i, v := range samples {
		if x[i] != float64(v) {
			t.Fatalf("ReadWAV sample %d = %v, wrote %d", i, x[i], v)
		}
	}
	return data.MFCC(nil, x)
}

// silenceC0 is coefficient 0 of a frame with no energy: √(2/40)·40·ln(1e-6) (every band is log(0 + 1e-6)).
var silenceC0 = math.Sqrt(2.0/40) * 40 * math.Log(1e-6)

func TestMFCCShapeAndSilence(t *testing.T) {
	if data.MFCCFrames != 49 {
		t.Fatalf("MFCCFrames = %d, want 49 (1 + (16000 − 480)/320)", data.MFCCFrames)
	}
	got := mfccOfWAV(t, make([]int16, 16000))
	if len(got) != 10*49 {
		t.Fatalf("len = %d, want 490", len(got))
	}
	for c := range 10 {
		for f := range 49 {
			want := 0.0
			if c == 0 {
				want = silenceC0 // −123.57
			}
			if v := float64(got[c*49+f]); math.Abs(v-want) > 1e-4 {
				t.Fatalf("silence: coefficient %d frame %d = %v, want %v", c, f, v, want)
			}
		}
	}
}

// TestMFCCClick: an impulse at sample 5000 lies only in frame 15 (samples 4800..5279), at window position
// 200, so that frame's magnitude spectrum is flat, |X_k| = w[200] for every bin, and every other frame is
// silent. Band j then holds w[200]·S_j with S_j the sum of the band's weights.
func TestMFCCClick(t *testing.T) {
	s := make([]int16, 16000)
	s[5000] = 20000
	got := mfccOfWAV(t, s)
	w200 := 0.5 - 0.5*math.Cos(2*math.Pi*200/480)
	fb := data.MelFilterbank(40, 257, 16000, 20, 4000)
	for c := range 10 {
		for f := range 49 {
			want := 0.0
			switch {
			case f == 15:
				for n := range 40 {
					var sj float64
					for k := range 257 {
						sj += fb[k][n]
					}
					want += math.Sqrt(2.0/40) * math.Log(w200*sj+1e-6) * math.Cos(math.Pi*float64(c)*float64(2*n+1)/80)
				}
			case c == 0:
				want = silenceC0
			}
			if v := float64(got[c*49+f]); math.Abs(v-want) > 1e-4*math.Max(1, math.Abs(want)) {
				t.Errorf("click: coefficient %d frame %d = %v, want %v", c, f, v, want)
			}
		}
	}
}

// TestMFCCAgainstNaive compares the front end with the plain implementation on tones (one shorter than a
// second, so zero-padded), a tone with a negative peak twice its positive one (clipped at −1 after dividing
// by the maximum), noise with a click, and a mixture.
func TestMFCCAgainstNaive(t *testing.T) {
	noisy := make([]int16, 16000)
	seed := uint32(7)
	for i := range noisy {
		seed = seed*1664525 + 1013904223
		noisy[i] = int16(int32(seed>>16)%2000 - 1000)
	}
	noisy[9000] = 30000
	asym := datatest.Tone(16000, 440, 8000, 0)
	for i, v := range asym {
		if v < 0 {
			asym[i] = 2 * v
		}
	}
	mix := datatest.Tone(16000, 300, 5000, 0)
	for i, v := range datatest.Tone(16000, 2500, 3000, 1) {
		mix[i] += v
	}
	cases := map[string][]int16{
		"1 kHz tone":             datatest.Tone(16000, 1000, 10000, 0),
		"3 kHz tone, 0.6 s":      datatest.Tone(9600, 3000, 20000, 0.5),
		"asymmetric 440 Hz":      asym,
		"noise with a click":     noisy,
		"300 Hz + 2.5 kHz tones": mix,
	}
	for name, s := range cases {
		got := mfccOfWAV(t, s)
		x := make([]float64, len(s))
		for i, v := range s {
			x[i] = float64(v)
		}
		want := naiveMFCC(x)
		var worst float64
		for f := range 49 {
			for c := range 10 {
				d := math.Abs(float64(got[c*49+f]) - want[f][c])
				worst = math.Max(worst, d/math.Max(1, math.Abs(want[f][c])))
			}
		}
		t.Logf("%s: largest relative difference to the naive DFT implementation %.2g (c0 of frame 0: %.4f)", name, worst, got[0])
		// Both compute in float64; the output is float32 (relative rounding 6e-8).
		if worst > 1e-5 {
			t.Errorf("%s: largest relative difference to the naive implementation %.2g, want ≤ 1e-5", name, worst)
		}
	}
}

// TestMFCCToneBand: a 1 kHz tone puts the most energy into the band centred nearest 1 kHz on the mel scale.
func TestMFCCToneBand(t *testing.T) {
	fb := data.MelFilterbank(40, 257, 16000, 20, 4000)
	// Bin 32 is exactly 1000 Hz (32 · 8000/256); its largest weight is in the band whose centre is nearest.
	best, bestW := -1, 0.0
	for j, w := range fb[32] {
		if w > bestW {
			best, bestW = j, w
		}
	}
	centre := func(j int) float64 {
		lo, hi := data.HertzToMel(20), data.HertzToMel(4000)
		return lo + float64(j+1)*(hi-lo)/41
	}
	m := data.HertzToMel(1000)
	for j := range 40 {
		if math.Abs(centre(j)-m) < math.Abs(centre(best)-m) {
			t.Errorf("bin 32 (1 kHz) weighs most in band %d, but band %d's centre is nearer", best, j)
		}
	}
}

// TestMelFilterbank checks the filterbank against hand-derived properties: the HTK mel scale at 700 Hz is
// 1127·ln 2; weights lie in [0, 1]; the DC bin and bins at or above 4 kHz (bin 128 = 4000 Hz) weigh 0; and
// between the first and the last band centre the overlapping triangles sum to exactly 1.
func TestMelFilterbank(t *testing.T) {
	if got, want := data.HertzToMel(700), 1127*math.Ln2; math.Abs(got-want) > 1e-9 {
		t.Errorf("HertzToMel(700) = %v, want %v", got, want)
	}
	fb := data.MelFilterbank(40, 257, 16000, 20, 4000)
	lo, hi := data.HertzToMel(20), data.HertzToMel(4000)
	first, last := lo+(hi-lo)/41, lo+40*(hi-lo)/41
	for k, row := range fb {
		var sum float64
		for j, w := range row {
			if w < 0 || w > 1 {
				t.Fatalf("weight[%d][%d] = %v outside [0, 1]", k, j, w)
			}
			sum += w
		}
		m := data.HertzToMel(float64(k) * 8000 / 256)
		switch {
		case k == 0 || k >= 128:
			if sum != 0 {
				t.Errorf("bin %d (%.1f Hz) has weight %v, want 0", k, float64(k)*8000/256, sum)
			}
		case m >= first && m <= last:
			if math.Abs(sum-1) > 1e-12 {
				t.Errorf("bin %d: weights sum to %v, want 1", k, sum)
			}
		}
	}
	w := data.HannWindow(480)
	if w[0] != 0 || math.Abs(w[240]-1) > 1e-15 || math.Abs(w[120]-0.5) > 1e-15 {
		t.Errorf("periodic Hann window: w[0] = %v, w[120] = %v, w[240] = %v; want 0, 0.5, 1", w[0], w[120], w[240])
	}
}

// BenchmarkMFCC measures the front end on one second of a tone (one goroutine).
func BenchmarkMFCC(b *testing.B) {
	s := datatest.Tone(16000, 1000, 10000, 0)
	x := make([]float64, len(s))
	for i, v := range s {
		x[i] = float64(v)
	}
	dst := make([]float32, 490)
	for b.Loop() {
		data.MFCC(dst, x)
	}
}
