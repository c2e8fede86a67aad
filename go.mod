module github.com/tradescreen/tradescreen

go 1.26.8

require (
	github.com/mozillazg/go-pinyin v0.21.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)
