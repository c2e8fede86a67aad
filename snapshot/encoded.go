package snapshot

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

// The embedded files are parsed once, when the project is built, into data/parsed.bin: the datasets the
// readers return, in a compact binary form that Load decodes in a few tens of milliseconds instead of
// parsing the official CSV and XML for half a second. The official files stay the source of truth: the file
// records the SHA-256 of each official file it was made from, Load parses the official files instead when
// one differs (or data/parsed.bin is missing or unreadable), and TestEncodedUpToDate fails when the readers
// would now give anything else. Regenerate it with `go generate ./snapshot`.
//
// Layout: the magic line, a little-endian uint32 length and that many bytes of JSON (the header), then the
// segments the header lists, one after another. Each segment is gzip-compressed on its own, so the segments
// are decompressed in parallel. A segment holds a run of entries of one file; decompressed, it is two parts:
// the entries' fields (varint lengths and counts, with each string's bytes inline), and their Raw records
// one after another (the first part says how long each is).

// encodedName is the generated file in data/.
const encodedName = "parsed.bin"

// encodedMagic starts the file; the digit is the layout's version.
const encodedMagic = "tradescreen snapshot 1\n"

// encodedHeader describes the encoded datasets.
type encodedHeader struct {
	Files []encodedFile `json:"files"`
}

// encodedFile is one official file's dataset.
type encodedFile struct {
	Name string `json:"name"`
	// SHA256 is the hex SHA-256 of the embedded official file (gzip-compressed, as embedded).
	SHA256   string                    `json:"sha256"`
	Lists    []tradescreen.ListVersion `json:"lists"`
	Entries  int                       `json:"entries"`
	Segments []encodedSegment          `json:"segments"`
}

// encodedSegment is one gzip stream: Entries entries of its file, Size bytes long in the encoded file.
type encodedSegment struct {
	Entries int `json:"entries"`
	Size    int `json:"size"`
}

// segmentEntries is the number of entries per segment: the CSL is split in two, so both cores share it.
const segmentEntries = 7500

// encode writes the datasets parsed from Files (in order; sums are the SHA-256 of the files) in the encoded
// layout. The output depends only on the datasets.
func encode(w io.Writer, ds []*source.Dataset, sums []string) error {
	var h encodedHeader
	var segs [][]byte
	for i, d := range ds {
		f := encodedFile{Name: Files[i].Name, SHA256: sums[i], Entries: len(d.Entries)}
		// The lists as the reader returns them; Load sets their origin and load time.
		f.Lists = d.Lists
		for lo := 0; lo < len(d.Entries) || lo == 0; lo += segmentEntries {
			hi := min(len(d.Entries), lo+segmentEntries)
			b, err := encodeSegment(d.Entries[lo:hi])
			if err != nil {
				return err
			}
			segs = append(segs, b)
			f.Segments = append(f.Segments, encodedSegment{Entries: hi - lo, Size: len(b)})
			if hi == len(d.Entries) {
				break
			}
		}
		h.Files = append(h.Files, f)
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	out.WriteString(encodedMagic)
	out.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(hj))))
	out.Write(hj)
	for _, s := range segs {
		out.Write(s)
	}
	_, err = w.Write(out.Bytes())
	return err
}

// encodeSegment returns the gzip-compressed encoding of entries.
func encodeSegment(entries []tradescreen.Entry) ([]byte, error) {
	var e encoder
	for i := range entries {
		e.entry(&entries[i])
	}
	var z bytes.Buffer
	zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// The fields part's length first, so the decoder finds the Raw part.
	if _, err := zw.Write(binary.AppendUvarint(nil, uint64(len(e.b)))); err != nil {
		return nil, err
	}
	if _, err := zw.Write(e.b); err != nil {
		return nil, err
	}
	if _, err := zw.Write(e.raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return z.Bytes(), nil
}

// encoder appends entries' fields to b and their Raw records to raw.
type encoder struct {
	b, raw []byte
}

func (e *encoder) uint(n int) { e.b = binary.AppendUvarint(e.b, uint64(n)) }

func (e *encoder) str(s string) {
	e.uint(len(s))
	e.b = append(e.b, s...)
}

// count writes a slice's length plus one, or 0 for a nil slice: decoding gives nil and empty slices back as
// they were.
func count[T any](e *encoder, s []T) {
	if s == nil {
		e.uint(0)
		return
	}
	e.uint(len(s) + 1)
}

func (e *encoder) strs(ss []string) {
	count(e, ss)
	for _, s := range ss {
		e.str(s)
	}
}

// entry writes every field of x, in the order of the Entry type (TestEntryFieldsEncoded keeps the two in
// step).
func (e *encoder) entry(x *tradescreen.Entry) {
	e.str(x.Source)
	e.str(x.SourceID)
	e.str(string(x.Kind))
	e.str(x.Name)
	count(e, x.Aliases)
	for _, n := range x.Aliases {
		e.str(n.Full)
		e.str(string(n.Type))
		e.str(n.Script)
		e.str(n.Given)
		e.str(n.Family)
		e.str(n.Note)
	}
	count(e, x.Addresses)
	for _, a := range x.Addresses {
		e.str(a.Full)
		e.str(a.Street)
		e.str(a.City)
		e.str(a.Region)
		e.str(a.PostalCode)
		e.str(a.Country)
		e.str(a.CountryName)
		e.str(a.Note)
	}
	count(e, x.Identifiers)
	for _, d := range x.Identifiers {
		e.str(d.Type)
		e.str(d.Number)
		e.str(d.Country)
		e.str(d.Issued)
		e.str(d.Expires)
		e.str(d.Note)
	}
	e.strs(x.BirthDates)
	e.strs(x.BirthPlaces)
	e.strs(x.Nationalities)
	e.strs(x.Citizenships)
	e.str(x.Gender)
	e.str(x.Title)
	e.strs(x.Positions)
	e.strs(x.Programs)
	e.str(x.LicenseRequirement)
	e.str(x.LicensePolicy)
	e.strs(x.FederalRegister)
	e.str(x.StartDate)
	e.str(x.EndDate)
	e.str(x.StandardOrder)
	e.str(x.ListedOn)
	e.str(x.LastUpdated)
	if x.Vessel == nil {
		e.uint(0)
	} else {
		e.uint(1)
		v := x.Vessel
		e.str(v.CallSign)
		e.str(v.Type)
		e.str(v.Flag)
		e.str(v.Owner)
		e.str(v.Tonnage)
		e.str(v.GrossRegisteredTonnage)
	}
	e.str(x.Remarks)
	e.str(x.SourceListURL)
	e.str(x.SourceInfoURL)
	count(e, x.Raw)
	e.raw = append(e.raw, x.Raw...)
}

// errCorrupt says the encoded file cannot be read; Load then parses the official files.
var errCorrupt = errors.New("encoded snapshot corrupt")

// decodeEncoded decodes the encoded file b. The official files' SHA-256 must match the recorded ones, else
// the encoding is stale and an error says so.
func decodeEncoded(b []byte, official func(name string) ([]byte, error)) ([]*source.Dataset, error) {
	if len(b) < len(encodedMagic)+4 || string(b[:len(encodedMagic)]) != encodedMagic {
		return nil, errCorrupt
	}
	b = b[len(encodedMagic):]
	n := int(binary.LittleEndian.Uint32(b))
	if n > len(b)-4 {
		return nil, errCorrupt
	}
	var h encodedHeader
	if err := json.Unmarshal(b[4:4+n], &h); err != nil {
		return nil, errCorrupt
	}
	b = b[4+n:]
	if len(h.Files) != len(Files) {
		return nil, fmt.Errorf("encoded snapshot holds %d files, want %d", len(h.Files), len(Files))
	}
	type job struct {
		raw     []byte
		entries []tradescreen.Entry
	}
	var jobs []job
	out := make([]*source.Dataset, len(h.Files))
	for i, f := range h.Files {
		if f.Name != Files[i].Name {
			return nil, fmt.Errorf("encoded snapshot holds %s, want %s", f.Name, Files[i].Name)
		}
		ds := &source.Dataset{Lists: f.Lists, Entries: make([]tradescreen.Entry, f.Entries)}
		off := 0
		for _, s := range f.Segments {
			if s.Size > len(b) || s.Entries < 0 || off+s.Entries > f.Entries {
				return nil, errCorrupt
			}
			jobs = append(jobs, job{b[:s.Size], ds.Entries[off : off+s.Entries]})
			b = b[s.Size:]
			off += s.Entries
		}
		if off != f.Entries {
			return nil, errCorrupt
		}
		out[i] = ds
	}
	// The segments and the checks of the official files, on every CPU.
	errs := make([]error, len(jobs)+len(h.Files))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { errs[i] = decodeSegment(j.raw, j.entries) })
	}
	for i, f := range h.Files {
		wg.Go(func() {
			ob, err := official(f.Name)
			if err != nil {
				errs[len(jobs)+i] = err
				return
			}
			if sum := sha256.Sum256(ob); hex.EncodeToString(sum[:]) != f.SHA256 {
				errs[len(jobs)+i] = fmt.Errorf("encoded snapshot was made from another %s", f.Name)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// decodeSegment decompresses one segment and decodes its entries into out.
func decodeSegment(z []byte, out []tradescreen.Entry) error {
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return errCorrupt
	}
	var buf bytes.Buffer
	buf.Grow(len(z) * 8)
	if _, err := buf.ReadFrom(io.LimitReader(zr, source.MaxFileSize)); err != nil {
		return errCorrupt
	}
	all := buf.Bytes()
	n, k := binary.Uvarint(all)
	if k <= 0 || n > uint64(len(all)-k) {
		return errCorrupt
	}
	// The fields become one string that every decoded string is a part of; the Raw records stay bytes.
	d := decoder{s: string(all[k : k+int(n)]), raw: all[k+int(n):]}
	for i := range out {
		d.entry(&out[i])
	}
	if d.bad || d.pos != len(d.s) || len(d.raw) != 0 {
		return errCorrupt
	}
	return nil
}

// decoder reads entries from s (fields) and raw (Raw records). A read past the end sets bad and returns
// zero values.
type decoder struct {
	s   string
	pos int
	raw []byte
	bad bool
}

func (d *decoder) uint() int {
	var x uint64
	var shift uint
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		d.pos++
		if c < 0x80 {
			x |= uint64(c) << shift
			if x > uint64(len(d.s)+len(d.raw)+1) {
				d.bad = true
				return 0
			}
			return int(x)
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
		if shift > 63 {
			break
		}
	}
	d.bad = true
	return 0
}

func (d *decoder) str() string {
	n := d.uint()
	if n > len(d.s)-d.pos {
		d.bad = true
		return ""
	}
	s := d.s[d.pos : d.pos+n]
	d.pos += n
	return s
}

// count reads a slice length written by count: -1 for nil.
func (d *decoder) count() int {
	return d.uint() - 1
}

func (d *decoder) strs() []string {
	n := d.count()
	if n < 0 || d.bad {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) entry(x *tradescreen.Entry) {
	x.Source = d.str()
	x.SourceID = d.str()
	x.Kind = tradescreen.Kind(d.str())
	x.Name = d.str()
	if n := d.count(); n >= 0 && !d.bad {
		x.Aliases = make([]tradescreen.Name, n)
		for i := range x.Aliases {
			a := &x.Aliases[i]
			a.Full = d.str()
			a.Type = tradescreen.NameType(d.str())
			a.Script = d.str()
			a.Given = d.str()
			a.Family = d.str()
			a.Note = d.str()
		}
	}
	if n := d.count(); n >= 0 && !d.bad {
		x.Addresses = make([]tradescreen.Address, n)
		for i := range x.Addresses {
			a := &x.Addresses[i]
			a.Full = d.str()
			a.Street = d.str()
			a.City = d.str()
			a.Region = d.str()
			a.PostalCode = d.str()
			a.Country = d.str()
			a.CountryName = d.str()
			a.Note = d.str()
		}
	}
	if n := d.count(); n >= 0 && !d.bad {
		x.Identifiers = make([]tradescreen.Identifier, n)
		for i := range x.Identifiers {
			a := &x.Identifiers[i]
			a.Type = d.str()
			a.Number = d.str()
			a.Country = d.str()
			a.Issued = d.str()
			a.Expires = d.str()
			a.Note = d.str()
		}
	}
	x.BirthDates = d.strs()
	x.BirthPlaces = d.strs()
	x.Nationalities = d.strs()
	x.Citizenships = d.strs()
	x.Gender = d.str()
	x.Title = d.str()
	x.Positions = d.strs()
	x.Programs = d.strs()
	x.LicenseRequirement = d.str()
	x.LicensePolicy = d.str()
	x.FederalRegister = d.strs()
	x.StartDate = d.str()
	x.EndDate = d.str()
	x.StandardOrder = d.str()
	x.ListedOn = d.str()
	x.LastUpdated = d.str()
	if d.uint() == 1 {
		x.Vessel = &tradescreen.Vessel{CallSign: d.str(), Type: d.str(), Flag: d.str(), Owner: d.str(),
			Tonnage: d.str(), GrossRegisteredTonnage: d.str()}
	}
	x.Remarks = d.str()
	x.SourceListURL = d.str()
	x.SourceInfoURL = d.str()
	if n := d.count(); n >= 0 && !d.bad {
		if n > len(d.raw) {
			d.bad = true
			return
		}
		// The records share one array; a full slice expression keeps an append to one from overwriting the
		// next.
		x.Raw = d.raw[:n:n]
		d.raw = d.raw[n:]
	}
}
