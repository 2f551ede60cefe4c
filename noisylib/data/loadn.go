package data

import "fmt"

// LoadN loads a data set like Load and keeps only the first trainN training and testN test examples
// (0, or more than available, keeps all).
func LoadN(name, dir string, trainN, testN int) (train, test *Dataset, err error) {
	train, _, test, err = loadN(name, dir, trainN, testN, false)
	return train, test, err
}

// LoadSplitsN loads a data set like Loader.LoadSplits (validation is nil for data sets without one) and keeps
// only the first trainN training examples and the first testN validation and test examples (0, or more than
// available, keeps all).
func LoadSplitsN(name, dir string, trainN, testN int) (train, validation, test *Dataset, err error) {
	return loadN(name, dir, trainN, testN, true)
}

func loadN(name, dir string, trainN, testN int, withValidation bool) (train, validation, test *Dataset, err error) {
	if trainN < 0 || testN < 0 {
		return nil, nil, nil, fmt.Errorf("data: example counts must be ≥ 0 (0 = all), got train %d, test %d", trainN, testN)
	}
	train, validation, test, err = Loader{Dir: dir}.load(name, withValidation)
	if err != nil {
		return nil, nil, nil, err
	}
	cut := func(d *Dataset, n int) *Dataset {
		if d != nil && n > 0 && n < d.Len() {
			return d.Subset(n)
		}
		return d
	}
	return cut(train, trainN), cut(validation, testN), cut(test, testN), nil
}
