package datatest

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// WriteWAV writes samples as a 16 kHz mono 16-bit PCM WAV file (the canonical 44-byte RIFF header, written
// by hand so that tests of the WAV reader do not depend on the library they test).
func WriteWAV(path string, samples []int16) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	n := uint32(2 * len(samples))
	b := make([]byte, 0, 44+n)
	b = append(b, "RIFF"...)
	b = binary.LittleEndian.AppendUint32(b, 36+n)
	b = append(b, "WAVEfmt "...)
	b = binary.LittleEndian.AppendUint32(b, 16)    // fmt chunk size
	b = binary.LittleEndian.AppendUint16(b, 1)     // PCM
	b = binary.LittleEndian.AppendUint16(b, 1)     // mono
	b = binary.LittleEndian.AppendUint32(b, 16000) // sample rate
	b = binary.LittleEndian.AppendUint32(b, 32000) // byte rate
	b = binary.LittleEndian.AppendUint16(b, 2)     // block align
	b = binary.LittleEndian.AppendUint16(b, 16)    // bits per sample
	b = append(b, "data"...)
	b = binary.LittleEndian.AppendUint32(b, n)
	for _, s := range samples {
		b = binary.LittleEndian.AppendUint16(b, uint16(s))
	}
	return os.WriteFile(path, b, 0o644)
}

// Tone returns n samples of amp·sin(2π·hz·i/16000 + phase), rounded to int16.
func Tone(n int, hz, amp, phase float64) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(math.Round(amp * math.Sin(2*math.Pi*hz*float64(i)/16000+phase)))
	}
	return out
}

// GSC2Fixture describes a folder written by WriteGSC2.
type GSC2Fixture struct {
	// Train, Validation and Test are the numbers of examples LoadGSC2 must return per split.
	Train, Validation, Test int
	// Words are the word folders written (the ten classes and two "unknown" words).
	Words []string
}

// gsc2Words are the ten class words in label order, then two words that count as unknown.
var gsc2Words = []string{"down", "go", "left", "no", "off", "on", "right", "stop", "up", "yes", "bed", "cat"}

// ClassHz is the tone frequency of class c in GSC2 fixtures (unknown words share class 11's), so that a model
// can learn the fixture.
func ClassHz(c int) float64 { return 250 + 300*float64(c) }

// WriteGSC2 writes a small Speech Commands v2 folder in the layout LoadGSC2 reads, under dir/gsc2: per word
// perWord training clips plus one validation and one testing clip (named in validation_list.txt and
// testing_list.txt), a 3-second and a 2-second background file (running_tap.wav, which tfds puts into the
// validation split), and a 12-class test set with perTest clips per class. Every clip of a class is a tone
// of ClassHz with a varying amplitude and phase; some are shorter than one second.
func WriteGSC2(dir string, perWord, perTest int) (GSC2Fixture, error) {
	root := filepath.Join(dir, "gsc2", "speech_commands_v0.02")
	testRoot := filepath.Join(dir, "gsc2", "speech_commands_test_set_v0.02")
	var val, test []string
	clip := func(c, k int) []int16 {
		n := 16000
		if k%3 == 2 {
			n = 12000 // zero-padded by the front end
		}
		return Tone(n, ClassHz(c), 3000+1000*float64(k%5), 0.3*float64(k))
	}
	for w, word := range gsc2Words {
		c := min(w, 11)
		for k := range perWord + 2 {
			name := fmt.Sprintf("%08x_nohash_%d.wav", 0xa0+w, k)
			if err := WriteWAV(filepath.Join(root, word, name), clip(c, k)); err != nil {
				return GSC2Fixture{}, err
			}
			switch k {
			case perWord:
				val = append(val, word+"/"+name)
			case perWord + 1:
				test = append(test, word+"/"+name)
			}
		}
	}
	noise := func(n int, seed uint32) []int16 {
		out := make([]int16, n)
		for i := range out {
			seed = seed*1664525 + 1013904223
			out[i] = int16(int32(seed>>16)%800 - 400)
		}
		return out
	}
	if err := WriteWAV(filepath.Join(root, "_background_noise_", "white_noise.wav"), noise(48000, 1)); err != nil {
		return GSC2Fixture{}, err
	}
	if err := WriteWAV(filepath.Join(root, "_background_noise_", "running_tap.wav"), noise(32000, 2)); err != nil {
		return GSC2Fixture{}, err
	}
	for name, list := range map[string][]string{"validation_list.txt": val, "testing_list.txt": test} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(strings.Join(list, "\n")+"\n"), 0o644); err != nil {
			return GSC2Fixture{}, err
		}
	}
	classes := append(append([]string(nil), gsc2Words[:10]...), "_silence_", "_unknown_")
	for c, class := range classes {
		for k := range perTest {
			s := clip(c, k+1)
			if class == "_silence_" {
				s = noise(16000, uint32(10+k))
			}
			if err := WriteWAV(filepath.Join(testRoot, class, fmt.Sprintf("%08x_nohash_%d.wav", 0xf0+c, k)), s); err != nil {
				return GSC2Fixture{}, err
			}
		}
	}
	// Background chunks start every 8000 samples while start < len − 16000: 4 of 48000, 2 of 32000.
	return GSC2Fixture{Train: len(gsc2Words)*perWord + 4, Validation: len(gsc2Words) + 2, Test: len(classes) * perTest,
		Words: gsc2Words}, nil
}
