package snapshot

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"testing"

	"github.com/tradescreen/tradescreen"
)

// canonical returns the SHA-256 of an encoded file's content: its header and every segment decompressed, so
// that a different gzip implementation does not make an up-to-date file look stale.
func canonical(t *testing.T, b []byte) string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte(encodedMagic)) {
		t.Fatal("no magic line")
	}
	b = b[len(encodedMagic):]
	n := int(binary.LittleEndian.Uint32(b))
	var h encodedHeader
	if err := json.Unmarshal(b[4:4+n], &h); err != nil {
		t.Fatal(err)
	}
	sum := sha256.New()
	sum.Write(b[4 : 4+n])
	b = b[4+n:]
	for _, f := range h.Files {
		for _, s := range f.Segments {
			zr, err := gzip.NewReader(bytes.NewReader(b[:s.Size]))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(sum, zr); err != nil {
				t.Fatal(err)
			}
			b = b[s.Size:]
		}
	}
	if len(b) != 0 {
		t.Fatalf("%d bytes after the last segment", len(b))
	}
	return hex.EncodeToString(sum.Sum(nil))
}

// TestEncodedUpToDate regenerates data/parsed.bin in memory from the official files and checks that the
// committed file holds the same: run `go generate ./snapshot` when it fails.
func TestEncodedUpToDate(t *testing.T) {
	committed, err := files.ReadFile("data/" + encodedName)
	if err != nil {
		t.Fatalf("data/%s missing: run go generate ./snapshot", encodedName)
	}
	var fresh bytes.Buffer
	if err := Encode(&fresh); err != nil {
		t.Fatal(err)
	}
	if got, want := canonical(t, committed), canonical(t, fresh.Bytes()); got != want {
		t.Fatalf("data/%s is stale (content %s, the readers now give %s): run go generate ./snapshot", encodedName, got, want)
	}
}

// TestDecodedEqualsParsed checks that decoding gives exactly the datasets the readers give.
func TestDecodedEqualsParsed(t *testing.T) {
	dec, err := decoded()
	if err != nil {
		t.Fatal(err)
	}
	par, err := parseFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(dec) != len(par) {
		t.Fatalf("%d datasets decoded, %d parsed", len(dec), len(par))
	}
	for i := range par {
		if !reflect.DeepEqual(dec[i].Lists, par[i].Lists) {
			t.Errorf("%s: lists differ:\n%+v\n%+v", Files[i].Name, dec[i].Lists, par[i].Lists)
		}
		if len(dec[i].Entries) != len(par[i].Entries) {
			t.Fatalf("%s: %d entries decoded, %d parsed", Files[i].Name, len(dec[i].Entries), len(par[i].Entries))
		}
		for j := range par[i].Entries {
			if !reflect.DeepEqual(dec[i].Entries[j], par[i].Entries[j]) {
				t.Fatalf("%s entry %d differs:\n%+v\n%+v", Files[i].Name, j, dec[i].Entries[j], par[i].Entries[j])
			}
		}
	}
}

// fill sets every field of v (strings, slices of one element, pointers) to a distinct value, so that a field
// the codec forgets shows up as a difference.
func fill(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("v%d", *n))
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(t, v.Field(i), n)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			v.SetBytes([]byte(fmt.Sprintf(`{"raw":%d}`, *n)))
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(t, v.Index(0), n)
		fill(t, v.Index(1), n)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), n)
	default:
		t.Fatalf("the snapshot codec does not handle %s fields (%s): extend encoded.go", v.Kind(), v.Type())
	}
}

// TestEncodeEveryField encodes an entry with every field set and checks that it decodes to the same: a field
// added to tradescreen.Entry and not to the codec fails here.
func TestEncodeEveryField(t *testing.T) {
	var full tradescreen.Entry
	n := 0
	fill(t, reflect.ValueOf(&full).Elem(), &n)
	empty := tradescreen.Entry{Aliases: []tradescreen.Name{}, BirthDates: []string{}, Raw: []byte{}}
	in := []tradescreen.Entry{full, {}, empty, full}
	z, err := encodeSegment(in)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]tradescreen.Entry, len(in))
	if err := decodeSegment(z, out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("round trip differs:\n%+v\n%+v", in, out)
	}
	// A segment with fewer entries than claimed, or more, is refused.
	if err := decodeSegment(z, make([]tradescreen.Entry, len(in)+1)); err == nil {
		t.Error("a short segment was accepted")
	}
	if err := decodeSegment(z, make([]tradescreen.Entry, len(in)-1)); err == nil {
		t.Error("a long segment was accepted")
	}
}

// TestStaleEncodingRefused checks that an encoding made from other official files, or a damaged one, is
// refused (Load then parses the official files).
func TestStaleEncodingRefused(t *testing.T) {
	b, err := files.ReadFile("data/" + encodedName)
	if err != nil {
		t.Fatal(err)
	}
	other := func(name string) ([]byte, error) { return []byte("another file"), nil }
	if _, err := decodeEncoded(b, other); err == nil {
		t.Error("an encoding of other official files was accepted")
	}
	same := func(name string) ([]byte, error) { return files.ReadFile("data/" + name) }
	if _, err := decodeEncoded(b, same); err != nil {
		t.Fatalf("the committed encoding was refused: %v", err)
	}
	for _, cut := range []int{0, 10, len(encodedMagic) + 4, len(b) / 2, len(b) - 1} {
		if _, err := decodeEncoded(b[:cut], same); err == nil {
			t.Errorf("an encoding cut at %d bytes was accepted", cut)
		}
	}
	bad := bytes.Clone(b)
	bad[len(bad)-20] ^= 0xff
	if _, err := decodeEncoded(bad, same); err == nil {
		t.Error("a damaged encoding was accepted")
	}
}

// FuzzDecodeSegment checks that no input makes the segment decoder panic.
func FuzzDecodeSegment(f *testing.F) {
	var full tradescreen.Entry
	full.Name, full.Aliases, full.Raw = "Hikvision", []tradescreen.Name{{Full: "HIK"}}, []byte(`{}`)
	z, err := encodeSegment([]tradescreen.Entry{full, {}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(z, 2)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		if n < 0 || n > 100 {
			return
		}
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(b)
		zw.Close()
		decodeSegment(zb.Bytes(), make([]tradescreen.Entry, n))
		decodeSegment(b, make([]tradescreen.Entry, n))
	})
}
