package batch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
	"github.com/tradescreen/tradescreen/internal/pool"
	"github.com/tradescreen/tradescreen/order"
)

// MaxOrderLine bounds one line of an orders file (order.Decode reads at most 1 MB).
const MaxOrderLine = 1 << 20

// OrderLine is one line of an orders run's output: the decision for the order on input line Line, or the
// error that kept it from being decided.
type OrderLine struct {
	Line     int             `json:"line"`
	OrderID  string          `json:"order_id,omitempty"`
	Decision *order.Decision `json:"decision,omitempty"`
	Error    string          `json:"error,omitempty"`
	// fatal is an error of the run rather than of the line (the lists or the allow list not available).
	fatal error
}

// OrderStats count an orders run's lines.
type OrderStats struct {
	Orders, Held, Clear, Errors int
}

// OrdersJob is an orders run: one order per line of a JSON Lines file (the JSON of `tradescreen order`),
// one decision per line out, in input order.
type OrdersJob struct {
	Input, Output string
	// Workers deciding (0: one per CPU); Strict stops at the first line that is not a valid order.
	Workers int
	Strict  bool
}

// Decider decides one order: the screening service's Decide, on the lists in service.
type Decider func(ctx context.Context, o *order.Order) (*order.Decision, error)

// RunOrders decides every order of job.Input with decide and writes the lines to job.Output, which appears
// only when the run is complete. A line that is not an order is written with its error (the run goes on
// unless Strict). Errors: the input's, the output's, ctx's, and the first bad line's with Strict.
func RunOrders(ctx context.Context, decide Decider, job OrdersJob) (OrderStats, error) {
	var st OrderStats
	in, err := os.Open(job.Input)
	if err != nil {
		return st, err
	}
	defer in.Close()
	out, err := atomicfile.Create(job.Output, 0o644)
	if err != nil {
		return st, err
	}
	defer out.Abort()
	bw := bufio.NewWriterSize(out, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	name := filepath.Base(job.Input)
	lines := &orderReader{br: bufio.NewReaderSize(in, 64<<10), name: job.Input}
	write := func(ol *OrderLine) error {
		if ol.fatal != nil {
			return fmt.Errorf("line %d: %w", ol.Line, ol.fatal)
		}
		st.Orders++
		switch {
		case ol.Error != "":
			st.Errors++
			if job.Strict {
				return &tradescreen.ParseError{File: name, Line: ol.Line, Msg: ol.Error}
			}
		case ol.Decision.Outcome == order.Hold:
			st.Held++
		default:
			st.Clear++
		}
		return enc.Encode(ol)
	}
	err = pool.Ordered(ctx, pool.Options{Workers: job.Workers}, lines.next,
		func(l rawOrder) *OrderLine { return decideLine(ctx, decide, l) }, write)
	if err != nil {
		return st, err
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	return st, out.Commit()
}

// rawOrder is one non-empty input line.
type rawOrder struct {
	line int
	text []byte
	err  string
}

// orderReader yields the non-empty lines of an orders file.
type orderReader struct {
	br   *bufio.Reader
	name string
	line int
}

func (r *orderReader) next() (rawOrder, error) {
	for {
		b, err := readLine(r.br)
		if err == io.EOF {
			return rawOrder{}, io.EOF
		}
		r.line++
		if err != nil && !errors.Is(err, errLineTooLong) {
			return rawOrder{}, fmt.Errorf("read %s: %w", r.name, err)
		}
		if r.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		b = bytes.TrimSpace(b)
		if err != nil {
			return rawOrder{line: r.line, err: fmt.Sprintf("line longer than %d bytes", MaxOrderLine)}, nil
		}
		if len(b) > 0 {
			return rawOrder{line: r.line, text: b}, nil
		}
	}
}

// decideLine decodes, validates and decides the order of one line.
func decideLine(ctx context.Context, decide Decider, l rawOrder) *OrderLine {
	ol := &OrderLine{Line: l.line, Error: l.err}
	if ol.Error != "" {
		return ol
	}
	var id struct {
		ID any `json:"id"`
	}
	if json.Unmarshal(l.text, &id) == nil {
		if s, ok := id.ID.(string); ok {
			ol.OrderID = s
		}
	}
	if !json.Valid(l.text) || l.text[0] != '{' {
		ol.Error = "not one JSON object"
		return ol
	}
	o, err := order.Decode(bytes.NewReader(l.text))
	if err == nil {
		err = order.Validate(o)
	}
	if err == nil {
		ol.Decision, err = decide(ctx, o)
	}
	switch tradescreen.ErrorCode(err) {
	case "":
	case tradescreen.EINVALID, tradescreen.EUNPROCESSABLE:
		ol.Error, ol.Decision = tradescreen.ErrorMessage(err), nil
	default:
		ol.fatal, ol.Decision = err, nil
	}
	return ol
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line (without its newline). A line over MaxOrderLine is read to its end and returned
// as errLineTooLong; io.EOF only when nothing is left.
func readLine(br *bufio.Reader) ([]byte, error) {
	var b []byte
	long := false
	for {
		frag, err := br.ReadSlice('\n')
		if !long {
			if len(b)+len(frag) > MaxOrderLine+2 {
				long, b = true, nil
			} else {
				b = append(b, frag...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(b) == 0 && !long:
			return nil, io.EOF
		case err != nil && err != io.EOF:
			return nil, err
		}
		if long {
			return nil, errLineTooLong
		}
		return b, nil
	}
}
