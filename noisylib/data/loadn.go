package data

import "fmt"

// LoadN loads a data set like Load and keeps only the first trainN training and testN test examples
// (0, or more than available, keeps all).
func LoadN(name, dir string, trainN, testN int) (train, test *Dataset, err error) {
	if trainN < 0 || testN < 0 {
		return nil, nil, fmt.Errorf("data: example counts must be ≥ 0 (0 = all), got train %d, test %d", trainN, testN)
	}
	train, test, err = Load(name, dir)
	if err != nil {
		return nil, nil, err
	}
	if trainN > 0 && trainN < train.Len() {
		train = train.Subset(trainN)
	}
	if testN > 0 && testN < test.Len() {
		test = test.Subset(testN)
	}
	return train, test, nil
}
