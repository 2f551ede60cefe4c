package data

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/go-audio/wav"
)

// Google Speech Commands v2 (GSC2) as the reference reads it (tfds "speech_commands", method.md §3).
const (
	// GSC2TrainDir is the extracted speech_commands_v0.02.tar.gz, relative to the data folder: one folder per
	// word, validation_list.txt, testing_list.txt and _background_noise_/.
	GSC2TrainDir = "gsc2/speech_commands_v0.02"
	// GSC2TestDir is the extracted speech_commands_test_set_v0.02.tar.gz (the 12-class test set: the ten
	// words, _silence_ and _unknown_), relative to the data folder.
	GSC2TestDir = "gsc2/speech_commands_test_set_v0.02"
	// GSC2Silence and GSC2Unknown are the class indices of silence and of every other word.
	GSC2Silence = 10
	GSC2Unknown = 11
	// GSC2UnknownDivisor divides the unknown class's loss weight (method.md §3, weight_criterion).
	GSC2UnknownDivisor = 3.6
	// GSC2TestClips is the number of clips in the published 12-class test set.
	GSC2TestClips = 4890
)

// GSC2Classes are the class names in label order: tfds's ten words, then silence and unknown.
var GSC2Classes = []string{"down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes", "_silence_", "_unknown_"}

const (
	gsc2Background = "_background_noise_"
	// gsc2ValidationNoise is the background file tfds adds to the validation split (as silence).
	gsc2ValidationNoise = gsc2Background + "/running_tap.wav"
	gsc2Obtain          = "no registry reachable here ships Speech Commands v2: download " +
		"speech_commands_v0.02.tar.gz and speech_commands_test_set_v0.02.tar.gz (http://download.tensorflow.org/data/) " +
		"and extract them into <data>/" + GSC2TrainDir + "/ and <data>/" + GSC2TestDir + "/"
)

func gsc2Source() Source {
	return Source{Name: "gsc2", InputShape: [3]int{MFCCCoefficients, MFCCFrames, 1}, NumClasses: len(GSC2Classes),
		Files:  []string{GSC2TrainDir + "/validation_list.txt", GSC2TrainDir + "/testing_list.txt", GSC2TestDir},
		Obtain: gsc2Obtain, LoadSplits: Loader.LoadGSC2, Load: func(l Loader) (*Dataset, *Dataset, error) {
			tr, _, te, err := l.LoadGSC2()
			return tr, te, err
		}}
}

// gsc2Clip is one example to compute: a WAV file, or a one-second chunk of a background-noise file.
type gsc2Clip struct {
	path   string
	label  int32
	offset int // first sample of a background chunk; -1 for a whole file
}

// LoadGSC2 reads the three splits of Speech Commands v2 the way tfds "speech_commands" (which the reference
// uses) builds them, and computes the reference's MFCC features (MFCC) of every clip:
//
//   - validation: the files named in validation_list.txt, plus one-second chunks (every half second) of
//     _background_noise_/running_tap.wav as silence;
//   - train: every other word file not named in testing_list.txt, plus the chunks of the other background
//     files as silence;
//   - test: the separate 12-class test set (GSC2TestDir).
//
// Words other than the ten of GSC2Classes are "unknown". Every split carries the class weights of the
// reference's weighted cross-entropy (GSC2ClassWeights of the training labels) in Dataset.ClassWeights. The
// reference's background-noise mixing in training (one fixed draw, method.md §3) is not applied.
//
// The folders are checked: every file the two lists name must exist, every WAV must be 16 kHz mono 16-bit PCM,
// and the test set must have one folder per class; a missing folder is a *MissingFileError naming where to put
// the files.
func (l Loader) LoadGSC2() (train, validation, test *Dataset, err error) {
	root, testRoot := l.path(GSC2TrainDir), l.path(GSC2TestDir)
	valList, err := readGSC2List(l, root, "validation_list.txt")
	if err != nil {
		return nil, nil, nil, err
	}
	testList, err := readGSC2List(l, root, "testing_list.txt")
	if err != nil {
		return nil, nil, nil, err
	}
	words, err := os.ReadDir(root)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("data: gsc2: %w", err)
	}
	var trainClips, valClips []gsc2Clip
	for _, w := range words {
		if !w.IsDir() {
			continue
		}
		files, err := wavFiles(path.Join(root, w.Name()))
		if err != nil {
			return nil, nil, nil, err
		}
		for _, f := range files {
			rel := w.Name() + "/" + f
			p := path.Join(root, rel)
			switch {
			case w.Name() == gsc2Background:
				chunks, err := backgroundChunks(p, GSC2Silence)
				if err != nil {
					return nil, nil, nil, err
				}
				if rel == gsc2ValidationNoise {
					valClips = append(valClips, chunks...)
				} else {
					trainClips = append(trainClips, chunks...)
				}
			case valList[rel]:
				valClips = append(valClips, gsc2Clip{path: p, label: gsc2Label(w.Name()), offset: -1})
			case !testList[rel]:
				trainClips = append(trainClips, gsc2Clip{path: p, label: gsc2Label(w.Name()), offset: -1})
			}
			delete(valList, rel)
			delete(testList, rel)
		}
	}
	delete(valList, gsc2ValidationNoise)
	for _, list := range []map[string]bool{valList, testList} {
		for rel := range list {
			return nil, nil, nil, fmt.Errorf("data: gsc2: %s names %s, which does not exist: the folder is incomplete, extract speech_commands_v0.02.tar.gz again",
				root, rel)
		}
	}
	var testClips []gsc2Clip
	for i, class := range GSC2Classes {
		dir := path.Join(testRoot, class)
		files, err := wavFiles(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil, &MissingFileError{Dataset: "gsc2", Path: dir, Hint: l.hint(gsc2Obtain)}
		}
		if err != nil {
			return nil, nil, nil, err
		}
		for _, f := range files {
			testClips = append(testClips, gsc2Clip{path: path.Join(dir, f), label: int32(i), offset: -1})
		}
	}
	sets := make([]*Dataset, 3)
	for i, clips := range [][]gsc2Clip{trainClips, valClips, testClips} {
		if len(clips) == 0 {
			return nil, nil, nil, fmt.Errorf("data: gsc2: the %s split is empty: check %s and %s",
				[]string{"train", "validation", "test"}[i], root, testRoot)
		}
		if sets[i], err = gsc2Dataset(clips); err != nil {
			return nil, nil, nil, err
		}
	}
	weights := GSC2ClassWeights(sets[0].ClassCounts())
	for _, d := range sets {
		d.ClassWeights = weights
	}
	return sets[0], sets[1], sets[2], nil
}

// GSC2ClassWeights returns the loss weights of the reference's weighted cross-entropy from the training class
// counts (method.md §3): w_c = 1 − p_c with p_c the class frequency, the unknown class's weight divided by
// GSC2UnknownDivisor, then all renormalised to sum 1.
func GSC2ClassWeights(counts []int) []float32 {
	total := 0
	for _, c := range counts {
		total += c
	}
	w := make([]float64, len(counts))
	var sum float64
	for i, c := range counts {
		w[i] = 1 - float64(c)/float64(max(total, 1))
		if i == GSC2Unknown {
			w[i] /= GSC2UnknownDivisor
		}
		sum += w[i]
	}
	out := make([]float32, len(w))
	for i := range w {
		out[i] = float32(w[i] / sum)
	}
	return out
}

// gsc2Label maps a word folder to its class: the ten words, silence, or unknown for any other word.
func gsc2Label(word string) int32 {
	if i := slices.Index(GSC2Classes, word); i >= 0 {
		return int32(i)
	}
	return GSC2Unknown
}

// readGSC2List reads a list of relative paths (one per line) into a set.
func readGSC2List(l Loader, root, name string) (map[string]bool, error) {
	p := path.Join(root, name)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &MissingFileError{Dataset: "gsc2", Path: p, Hint: l.hint(gsc2Obtain)}
	}
	if err != nil {
		return nil, fmt.Errorf("data: gsc2: %w", err)
	}
	defer f.Close()
	set := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			set[line] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("data: gsc2: %s: %w", p, err)
	}
	return set, nil
}

// wavFiles lists the .wav files of a folder, sorted.
func wavFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".wav") {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// backgroundChunks splits a background-noise file into one-second chunks starting every half second, as
// tfds does (range(0, len − 16000, 8000)).
func backgroundChunks(p string, label int32) ([]gsc2Clip, error) {
	s, err := ReadWAV(p)
	if err != nil {
		return nil, err
	}
	var out []gsc2Clip
	for start := 0; start < len(s)-MFCCClipSamples; start += MFCCClipSamples / 2 {
		out = append(out, gsc2Clip{path: p, label: label, offset: start})
	}
	return out, nil
}

// ReadWAV reads a 16 kHz mono 16-bit PCM WAV file (github.com/go-audio/wav) and returns its samples as
// int16 values.
func ReadWAV(p string) ([]float64, error) {
	b, err := os.ReadFile(p) // the decoder reads sample by sample: from memory, not with a system call each
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	d := wav.NewDecoder(bytes.NewReader(b))
	buf, err := d.FullPCMBuffer()
	if err != nil {
		return nil, fmt.Errorf("data: %s: not a readable WAV file: %w", p, err)
	}
	if d.SampleRate != MFCCSampleRate || d.NumChans != 1 || d.BitDepth != 16 || d.WavAudioFormat != 1 {
		return nil, fmt.Errorf("data: %s: %d Hz, %d channels, %d-bit, format %d; want 16000 Hz mono 16-bit PCM (format 1)",
			p, d.SampleRate, d.NumChans, d.BitDepth, d.WavAudioFormat)
	}
	out := make([]float64, len(buf.Data))
	for i, v := range buf.Data {
		out[i] = float64(v)
	}
	return out, nil
}

// gsc2Dataset decodes the clips and computes their features on every core.
func gsc2Dataset(clips []gsc2Clip) (*Dataset, error) {
	size := MFCCCoefficients * MFCCFrames
	d := &Dataset{Name: "gsc2", N: len(clips), H: MFCCCoefficients, W: MFCCFrames, C: 1, NumClasses: len(GSC2Classes),
		Images: makeLarge[float32](len(clips) * size), Labels: make([]int32, len(clips))}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan int)
	)
	for range runtime.NumCPU() {
		wg.Go(func() {
			fe := newMFCCFrontEnd()
			var cached string
			var samples []float64
			for i := range next {
				c := clips[i]
				if c.path != cached {
					s, err := ReadWAV(c.path)
					if err != nil {
						mu.Lock()
						first = cmp.Or(first, err)
						mu.Unlock()
						continue
					}
					cached, samples = c.path, s
				}
				s := samples
				if c.offset >= 0 {
					s = s[c.offset : c.offset+MFCCClipSamples]
				}
				fe.compute(d.Images[i*size:(i+1)*size], s)
				d.Labels[i] = c.label
			}
		})
	}
	for i := range clips {
		next <- i
	}
	close(next)
	wg.Wait()
	return d, first
}
