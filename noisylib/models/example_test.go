package models_test

import (
	"fmt"
	"strings"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/walkingnoise/walkingnoise/noisylib/backend"
	"github.com/walkingnoise/walkingnoise/noisylib/models"
	"github.com/walkingnoise/walkingnoise/noisylib/noise"
)

// New builds a model variant for a data set's input; its sites are numbered in construction order.
func ExampleNew() {
	m, err := models.New("lenet5-bn", models.MNIST) // 28×28×1 input, 10 classes
	if err != nil {
		panic(err)
	}
	names := m.SiteNames()
	fmt.Println(m.NumSites(), "sites:", strings.Join(names[:5], " "), "…", names[len(names)-1])
	fmt.Println(m.Sites[5]) // a site, with the shape of its value for one example
	// Output:
	// 16 sites: 0:input 1:conv1 2:bn1 3:relu1 4:pool1 … 15:logits
	// 5:conv2 [8 8 16]
}

// Forward builds the model's graph inside a GoMLX computation; the injector adds each site's noise.
func ExampleModel_Forward() {
	b, err := backend.New()
	if err != nil {
		panic(err)
	}
	m, err := models.New("mlp-tfc-bn", models.MNIST)
	if err != nil {
		panic(err)
	}
	cfg := noise.At(4, noise.Add(0.1))      // σ = 0.1 at site 4:fc2
	specs, err := cfg.Resolve(m.NumSites()) // one noise.Spec per site
	if err != nil {
		panic(err)
	}
	params := noise.ParamsTensor(specs) // σ and friends as graph data: a new σ needs no recompilation
	store := model.NewStore()
	exec := model.MustNewExec(b, store, func(scope *model.Scope, images, p *graph.Node) *graph.Node {
		inj := &noise.Injector{Specs: specs, Params: p, Random: noise.StoreNormal(scope.Store())}
		return m.Forward(scope, images, inj, nil) // logits [batch, 10]
	})
	images := tensors.FromShape(tensors.FromScalarAndDimensions(float32(0), 32, 28, 28, 1).Shape())
	logits := exec.MustCall1(images, params)
	fmt.Println(logits.Shape())
	// Output: (Float32)[32, 10]
}
