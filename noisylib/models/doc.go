// Package models defines the networks of the Walking Noise paper as lists of operations with numbered
// noise sites: MLP "TFC" (3×64), LeNet-5 and the keyword-spotting CNN-S, each without BatchNorm ("nobn"),
// with BatchNorm and a noise site after it ("bn"), and with BatchNorm but no site after it ("bn-nonoise").
//
//	m, err := models.New("lenet5-bn", models.MNIST)     // 28×28×1 input, 10 classes
//	for _, s := range m.Sites { fmt.Println(s) }        // 0:input [28 28 1], 1:conv1 [24 24 6], ...
//	logits := m.Forward(scope, images, injector, nil)   // inside a GoMLX graph: [batch, 10]
//
// ExampleNew and ExampleModel_Forward run these lines.
//
// Sites are numbered in construction order as in the reference implementation: 0 is the input (after
// flattening, for the MLP), the last one is the logits. A site sits after every Linear/Conv, BatchNorm
// (except in "bn-nonoise"), ReLU and MaxPool.
package models
