// Package dynamics measures the learning dynamics the Walking Noise paper explains: weight growth and the
// signal-to-noise ratio under additive noise, and self-binarization under multiplicative noise.
//
//	tr := &dynamics.Tracker{Test: testSet.Subset(1000)}
//	res, _ := train.Fit(b, m, trainSet, testSet, train.Options{Epochs: 3, Noise: cfg, OnEpoch: tr.Hook()})
//	for _, e := range tr.Epochs { fmt.Println(e.Epoch, e.Layers[0].MeanAbs, e.Sites[3].SNRdB(spec)) }
//	acc, _ := dynamics.SignCopyAccuracy(res.Trainer, testSet)   // accuracy with weights → sign(w)·mean|w|
package dynamics
