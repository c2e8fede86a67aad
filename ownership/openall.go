package ownership

import "fmt"

// OpenAll reads the ownership files (PATH or FORMAT=PATH, as Open takes them) and merges them into one graph.
// Errors name the file.
func OpenAll(files []string) (*Graph, error) {
	g := NewGraph()
	for _, d := range files {
		gi, err := Open(d)
		if err != nil {
			return nil, fmt.Errorf("ownership data %s: %w", d, err)
		}
		g.Merge(gi)
	}
	return g, nil
}
