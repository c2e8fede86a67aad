package csl

import (
	"os"
	"testing"
)

func BenchmarkParse2022(b *testing.B) {
	data, err := os.ReadFile(lists + "consolidated_2022-05-16.csv.gz")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(data, "consolidated_2022-05-16.csv.gz"); err != nil {
			b.Fatal(err)
		}
	}
}
