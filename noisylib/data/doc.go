// Package data loads the data sets of the Walking Noise experiments (MNIST, Fashion-MNIST, CIFAR-10, SVHN and
// Speech Commands v2 as MFCC features), applies the reference preprocessing and cuts them into batches.
//
//	train, test, err := data.Load("mnist", data.Dir()) // verified against the published checksums
//	if err != nil { ... }                              // e.g. "file not found: …; run: bash scripts/fetch-data.sh"
//	b := data.NewBatcher(train, 128, rand.New(rand.NewPCG(seed, 1)))
//	for epoch := range 10 {
//		for x, y := range b.Epoch(true) { // reshuffled and augmented; x is N×H×W×C, y the labels
//			...
//		}
//	}
//	for x, y := range data.NewBatcher(test, 128, nil).Epoch(false) { ... } // in order, normalised only
//
// Images are float32 in N×H×W×C order (channels last), scaled to [0, 1] at load time; the per-data-set
// [Transform] (random crop with zero padding, horizontal flip, normalisation, as in the reference's
// torchvision pipeline) is applied by the [Batcher].
//
// Files live in the data folder [Dir] (env [EnvDataDir], else <repo>/data):
//
//	mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]           fetched by scripts/fetch-data.sh
//	fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]   fetched by scripts/fetch-data.sh
//	cifar10/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin     place by hand (binary version)
//	svhn/{train,test}_32x32.mat                                       place by hand (MATLAB level 5)
//	gsc2/speech_commands_v0.02/…, gsc2/speech_commands_test_set_v0.02/… place by hand (extracted archives)
//
// GSC2 ("gsc2", [Loader.LoadGSC2]) is read from the two extracted archives: words as tfds splits them into
// train/validation/test (12 classes: ten words, silence from background-noise chunks, unknown), each clip turned
// into the reference's 10×49 MFCC features ([MFCC]: 16 kHz, waveform/max, 480-sample Hann STFT every 320, 40 HTK
// mel bands 20–4000 Hz, log(x + 1e-6), √(2/40)·DCT-II, first 10), with the class weights of the reference's
// weighted cross-entropy ([GSC2ClassWeights], Dataset.ClassWeights). There is no published checksum of the
// extracted files: the loader checks the layout (every listed file present, 16 kHz mono 16-bit PCM, one test
// folder per class) instead.
//
// Every file is checked against its published digest (sha256 of the decompressed IDX payload, sha256 of
// each CIFAR-10 batch, md5 of each SVHN file); only a [Loader] with SkipChecksums, meant for test fixtures,
// reads unverified files. New data sets join through [Register]. [Dataset.Chance] is the chance accuracy,
// 100/classes, the a_min of every midpoint.
package data
