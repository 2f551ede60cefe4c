package data

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// The MFCC front end of the reference's GSC2 pipeline (method.md §3; the MLPerf-Tiny KWS "mfcc" features
// computed with tf.signal), for 16 kHz clips of at most one second.
const (
	// MFCCSampleRate is the sample rate the front end expects, in Hz.
	MFCCSampleRate = 16000
	// MFCCClipSamples is the clip length: clips are zero-padded (longer ones truncated) to one second.
	MFCCClipSamples = 16000
	// MFCCWindow is the STFT frame length in samples (30 ms), MFCCHop the frame step (20 ms).
	MFCCWindow = 480
	MFCCHop    = 320
	// MFCCFFTLength is the FFT length: tf.signal.stft's default, the smallest power of 2 ≥ MFCCWindow.
	MFCCFFTLength = 512
	// MFCCFrames is the number of frames, 1 + (16000 − 480)/320 (no padding at the end).
	MFCCFrames = 1 + (MFCCClipSamples-MFCCWindow)/MFCCHop
	// MFCCMelBins is the number of mel bands, between MFCCLowHz and MFCCHighHz.
	MFCCMelBins = 40
	MFCCLowHz   = 20.0
	MFCCHighHz  = 4000.0
	// MFCCLogOffset stabilises the logarithm of the mel spectrogram: log(mel + 1e-6).
	MFCCLogOffset = 1e-6
	// MFCCCoefficients is the number of cepstral coefficients kept.
	MFCCCoefficients = 10
)

// spectrumBins is the number of one-sided FFT bins, MFCCFFTLength/2 + 1.
const spectrumBins = MFCCFFTLength/2 + 1

// HertzToMel is the HTK mel scale that tf.signal.linear_to_mel_weight_matrix uses: 1127·ln(1 + f/700).
func HertzToMel(f float64) float64 { return 1127 * math.Log1p(f/700) }

// HannWindow returns the periodic Hann window of length n that tf.signal.hann_window gives by default:
// w[i] = 0.5 − 0.5·cos(2πi/n).
func HannWindow(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return w
}

// MelFilterbank returns tf.signal.linear_to_mel_weight_matrix(numMel, bins, sampleRate, lowHz, highHz) as
// [bins][numMel]: bin k has frequency k·(sampleRate/2)/(bins − 1); the band edges are numMel + 2 points
// evenly spaced on the mel scale (HertzToMel) from lowHz to highHz; band j is the triangle rising from edge j
// to edge j+1 and falling to edge j+2, evaluated in mel; the DC bin (k = 0) has weight 0 in every band.
func MelFilterbank(numMel, bins int, sampleRate, lowHz, highHz float64) [][]float64 {
	lo, hi := HertzToMel(lowHz), HertzToMel(highHz)
	edges := make([]float64, numMel+2)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(numMel+1)
	}
	w := make([][]float64, bins)
	for k := range w {
		w[k] = make([]float64, numMel)
		if k == 0 {
			continue
		}
		m := HertzToMel(float64(k) * sampleRate / 2 / float64(bins-1))
		for j := range numMel {
			lower := (m - edges[j]) / (edges[j+1] - edges[j])
			upper := (edges[j+2] - m) / (edges[j+2] - edges[j+1])
			w[k][j] = max(0, min(lower, upper))
		}
	}
	return w
}

// mfccFrontEnd holds the precomputed tables and the FFT work space of the MFCC front end; it is not safe for
// concurrent use (one per goroutine).
type mfccFrontEnd struct {
	window []float64
	mel    [][]float64 // [spectrumBins][MFCCMelBins]
	bands  [][2]int    // per mel band, the range [lo, hi) of bins with a non-zero weight
	dct    [][]float64 // [MFCCCoefficients][MFCCMelBins]
	fft    *fourier.FFT
	clip   []float64
	frame  []float64
	coeff  []complex128
	mag    []float64
	logMel []float64
}

func newMFCCFrontEnd() *mfccFrontEnd {
	f := &mfccFrontEnd{
		window: HannWindow(MFCCWindow),
		mel:    MelFilterbank(MFCCMelBins, spectrumBins, MFCCSampleRate, MFCCLowHz, MFCCHighHz),
		fft:    fourier.NewFFT(MFCCFFTLength),
		clip:   make([]float64, MFCCClipSamples),
		frame:  make([]float64, MFCCFFTLength),
		coeff:  make([]complex128, spectrumBins),
		mag:    make([]float64, spectrumBins),
		logMel: make([]float64, MFCCMelBins),
	}
	f.bands = make([][2]int, MFCCMelBins)
	for j := range f.bands {
		lo, hi := spectrumBins, 0
		for k := range spectrumBins {
			if f.mel[k][j] != 0 {
				lo, hi = min(lo, k), max(hi, k+1)
			}
		}
		f.bands[j] = [2]int{lo, max(lo, hi)}
	}
	// tf.signal.mfccs_from_log_mel_spectrograms: an unnormalised DCT-II, 2·Σ x_n cos(πk(2n+1)/(2N)), times
	// 1/√(2N), i.e. √(2/N)·Σ x_n cos(πk(2n+1)/(2N)) (HTK's scaling; not orthonormal for k = 0).
	f.dct = make([][]float64, MFCCCoefficients)
	for k := range f.dct {
		f.dct[k] = make([]float64, MFCCMelBins)
		for n := range MFCCMelBins {
			f.dct[k][n] = math.Sqrt(2.0/MFCCMelBins) * math.Cos(math.Pi*float64(k)*float64(2*n+1)/(2*MFCCMelBins))
		}
	}
	return f
}

// MFCC returns the reference's features of one 16 kHz clip (samples at any scale, e.g. int16 values) as
// MFCCCoefficients×MFCCFrames values, coefficient-major (dst[c·MFCCFrames + t] is coefficient c of frame t:
// the 1×10×49 input of CNN-S). The steps are those of method.md §3 / the MLPerf-Tiny KWS pipeline:
//
//  1. divide the waveform by its maximum (not its maximum magnitude; a clip whose maximum is 0, e.g. digital
//     silence, is left unscaled, where TensorFlow would divide by zero), zero-pad to 16,000 samples (a longer
//     clip is truncated), clip to [−1, 1];
//  2. frames of 480 samples every 320 (49 frames), periodic Hann window, 512-point FFT (gonum's
//     dsp/fourier), magnitude |X_k| of the 257 one-sided bins;
//  3. 40 mel bands from 20 to 4000 Hz (MelFilterbank, HTK mel scale HertzToMel), log(mel + 1e-6);
//  4. the first 10 coefficients of √(2/40)·DCT-II (tf.signal.mfccs_from_log_mel_spectrograms).
//
// It computes in float64 (TensorFlow in float32). dst must hold MFCCCoefficients·MFCCFrames values; nil
// allocates.
func MFCC(dst []float32, samples []float64) []float32 {
	return newMFCCFrontEnd().compute(dst, samples)
}

func (f *mfccFrontEnd) compute(dst []float32, samples []float64) []float32 {
	if dst == nil {
		dst = make([]float32, MFCCCoefficients*MFCCFrames)
	}
	samples = samples[:min(len(samples), MFCCClipSamples)]
	peak := math.Inf(-1)
	for _, v := range samples {
		peak = max(peak, v)
	}
	scale := 1.0
	if peak != 0 && !math.IsInf(peak, -1) {
		scale = 1 / peak
	}
	clear(f.clip)
	for i, v := range samples {
		f.clip[i] = max(-1, min(1, v*scale))
	}
	for t := range MFCCFrames {
		clear(f.frame)
		for i, w := range f.window {
			f.frame[i] = f.clip[t*MFCCHop+i] * w
		}
		f.fft.Coefficients(f.coeff, f.frame)
		for k, c := range f.coeff {
			f.mag[k] = cmplx.Abs(c)
		}
		for j, b := range f.bands {
			var s float64
			for k := b[0]; k < b[1]; k++ {
				s += f.mag[k] * f.mel[k][j]
			}
			f.logMel[j] = math.Log(s + MFCCLogOffset)
		}
		for c, row := range f.dct {
			var s float64
			for n, x := range f.logMel {
				s += row[n] * x
			}
			dst[c*MFCCFrames+t] = float32(s)
		}
	}
	return dst
}
