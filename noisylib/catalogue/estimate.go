package catalogue

import (
	"time"

	"github.com/walkingnoise/walkingnoise/noisylib/data"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/walk"
)

// splitSizes are the full training and test set sizes (GSC2: tfds's train split with the background chunks,
// approximately, and the 12-class test set).
var splitSizes = map[string][2]int{
	"mnist": {60000, 10000}, "fashion-mnist": {60000, 10000}, "cifar10": {50000, 10000}, "svhn": {73257, 26032},
	"gsc2": {85511, data.GSC2TestClips},
}

// rate is a measured throughput in images per second of a reference model on MNIST on the project machine
// (2-vCPU AMD EPYC, pure-Go backend, GOEXPERIMENT=simd; README's benchmark of 2026-11-30, commit 1ae8eec), and
// the model it was measured on.
type rate struct {
	ref         string
	train, eval float64 // one training with noise at one site; one evaluation with noise at every site
	sweep       float64 // per point in a stacked inference sweep
}

// rates by model family: MLP-TFC (BN) trains at 124,422 img/s with noise at one site and evaluates at 65,020
// img/s, and its 11 × 49-point inference walk on 10,000 images took 5.2 s including a ≈ 0.5 s training
// (≈ 1.1·10⁶ img/s per point); LeNet-5 (BN) trains at 11,576 and evaluates at 6,917 img/s, and its 16 × 17-point
// walk on 2,000 images took 12.8 s including a ≈ 5.4 s training (≈ 7·10⁴ img/s per point). Noisy trainings of
// one walk are not stacked (on this backend a stack trains slower per copy than separate trainings). CNN-S was
// not measured: it is scaled from LeNet-5 by multiply-accumulates.
var rates = map[string]rate{
	"mlp-tfc": {ref: "mlp-tfc-bn", train: 124422, eval: 65020, sweep: 1.1e6},
	"lenet5":  {ref: "lenet5-bn", train: 11576, eval: 6917, sweep: 7e4},
	"cnn-s":   {ref: "lenet5-bn", train: 11576, eval: 6917, sweep: 7e4},
}

// Estimate returns a rough CPU time for running every point of p on the project machine (2 cores, nothing
// stored yet): each clean and training point trains for Epochs over the training set and evaluates the test
// set; each inference point evaluates the test set (a multi-execution point once per average execution). The
// measured throughputs (rates) are scaled by the model's multiply-accumulates relative to the model they were
// measured on. It ignores clean models shared between plans (cached) and GSC2's feature extraction; treat it as
// an order of magnitude.
func Estimate(p *walk.Plan) time.Duration {
	r, ok := rates[family(p.Spec.Model)]
	sizes, ok2 := splitSizes[p.Spec.Data]
	if !ok || !ok2 {
		return 0
	}
	scale := macsRatio(p.Spec.Model, p.Spec.Data, r.ref)
	var secs float64
	for _, pt := range p.Points {
		secs += scale * pointSeconds(pt, r, sizes)
	}
	return time.Duration(secs * float64(time.Second))
}

// pointSeconds is the estimated time of one point of a model of the reference size (before scaling by
// multiply-accumulates).
func pointSeconds(pt walk.Point, r rate, sizes [2]int) float64 {
	trainN, testN := sizes[0], sizes[1]
	if pt.TrainN > 0 {
		trainN = min(trainN, pt.TrainN)
	}
	if pt.TestN > 0 {
		testN = min(testN, pt.TestN)
	}
	images := float64(pt.Epochs * trainN)
	switch pt.Mode {
	case walk.Clean:
		return images/r.train + float64(testN)/r.eval
	case walk.Training:
		return images/r.train + 2*float64(testN)/r.eval
	}
	if pt.Policy != "" { // multi-execution: the budget B is the mean number of executions per site
		return pt.X * float64(testN) / r.eval
	}
	return float64(testN) / r.sweep
}

// family returns the model family of a variant name, e.g. "lenet5" for "lenet5-bn-nonoise".
func family(model string) string {
	for f := range rates {
		if len(model) > len(f) && model[:len(f)+1] == f+"-" {
			return f
		}
	}
	return ""
}

// macsRatio is the model's multiply-accumulates on the data set over those of ref on MNIST.
func macsRatio(model, dataSet, ref string) float64 {
	in, err := walk.DataInput(dataSet)
	if err != nil {
		return 1
	}
	m, err1 := models.New(model, in)
	r, err2 := models.New(ref, models.MNIST)
	if err1 != nil || err2 != nil {
		return 1
	}
	return float64(m.MACs()) / float64(r.MACs())
}
