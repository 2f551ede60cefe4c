package noise_test

import (
	"fmt"

	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// A site whose clean signal has E[x²] = 4 (RMS 2) and max|x| = 5: the same additive noise in four units.
func ExampleToSigma() {
	sig := noise.Signal{MeanSquare: 4, MaxAbs: 5}
	for _, c := range []struct {
		u noise.Unit
		v float64
	}{{noise.Absolute, 0.2}, {noise.RMS, 0.1}, {noise.Max, 0.04}, {noise.DB, 20}} {
		sigma, _ := noise.ToSigma(noise.Additive, c.u, c.v, sig)
		fmt.Printf("%-4q %5g → σ = %.3g\n", c.u, c.v, sigma)
	}
	// Output:
	// ""     0.2 → σ = 0.2
	// "rms"   0.1 → σ = 0.2
	// "max"  0.04 → σ = 0.2
	// "db"    20 → σ = 0.2
}
