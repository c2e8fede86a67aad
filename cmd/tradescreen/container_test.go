package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dockerInstr is one instruction of a Dockerfile: its keyword (upper case) and its arguments, with line
// continuations joined.
type dockerInstr struct{ cmd, args string }

func readDockerfile(t *testing.T, path string) []dockerInstr {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dockerInstr
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cur.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(cur.String(), " ")
		out = append(out, dockerInstr{strings.ToUpper(cmd), strings.TrimSpace(args)})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestContainerRecipe checks the structure of the Dockerfile, docker-compose.yml and .dockerignore at the
// repository's root: a multi-stage build of a static binary (CGO off) into a minimal base, a non-root user, a
// health check on /readyz through `tradescreen healthcheck` (the base has no shell or curl), the data
// directory as a volume, the server listening beyond loopback with an API key file, and a compose file that
// starts it with PostgreSQL. When docker or podman can reach its daemon, it also builds the image and runs
// `tradescreen version` in it.
func TestContainerRecipe(t *testing.T) {
	root := filepath.Join("..", "..")
	ins := readDockerfile(t, filepath.Join(root, "Dockerfile"))
	var froms []string
	last := 0 // the index of the final stage's FROM
	for i, in := range ins {
		if in.cmd == "FROM" {
			froms = append(froms, in.args)
			last = i
		}
	}
	if len(froms) < 2 {
		t.Fatalf("FROM %v: want a multi-stage build", froms)
	}
	if base := froms[len(froms)-1]; !strings.Contains(base, "distroless/static") && base != "scratch" {
		t.Errorf("final base %q: want distroless/static or scratch", base)
	}
	final := ins[last:]
	get := func(cmd string, from []dockerInstr) []string {
		var v []string
		for _, in := range from {
			if in.cmd == cmd {
				v = append(v, in.args)
			}
		}
		return v
	}
	build := strings.Join(append(get("ENV", ins[:last]), get("RUN", ins[:last])...), "\n")
	if !strings.Contains(build, "CGO_ENABLED=0") || !strings.Contains(build, "go build") || !strings.Contains(build, "./cmd/tradescreen") {
		t.Errorf("the build stage does not build ./cmd/tradescreen with CGO_ENABLED=0:\n%s", build)
	}
	users := get("USER", final)
	if len(users) == 0 {
		t.Error("no USER in the final stage: the server would run as root")
	} else if u, _, _ := strings.Cut(users[len(users)-1], ":"); u == "root" || u == "0" {
		t.Errorf("USER %s: want a non-root user", users[len(users)-1])
	}
	hc := strings.Join(get("HEALTHCHECK", final), " ")
	if !regexp.MustCompile(`CMD \["/usr/local/bin/tradescreen", "healthcheck"`).MatchString(hc) {
		t.Errorf("HEALTHCHECK %q: want the exec form of `tradescreen healthcheck`", hc)
	}
	env := strings.Join(get("ENV", final), " ")
	dataDir := regexp.MustCompile(`TRADESCREEN_DATA_DIR=(\S+)`).FindStringSubmatch(env)
	if dataDir == nil || !strings.Contains(strings.Join(get("VOLUME", final), " "), `"`+dataDir[1]+`"`) {
		t.Errorf("the data directory (ENV %q) is not a VOLUME %v", env, get("VOLUME", final))
	}
	for _, want := range []string{"TRADESCREEN_ADDR=0.0.0.0:8080", "TRADESCREEN_API_KEY_FILE="} {
		if !strings.Contains(env, want) {
			t.Errorf("final ENV lacks %s", want)
		}
	}
	if ep := strings.Join(get("ENTRYPOINT", final), ""); !strings.Contains(ep, "/usr/local/bin/tradescreen") || !strings.Contains(strings.Join(get("CMD", final), ""), "serve") {
		t.Errorf("ENTRYPOINT %q CMD %v: want the binary serving", ep, get("CMD", final))
	}
	// The subcommand the health check runs exists.
	m, _, _ := testMain(nil)
	if code := m.Run(context.Background(), []string{"healthcheck", "--help"}); code != 0 {
		t.Errorf("tradescreen healthcheck --help: exit %d", code)
	}

	compose, err := os.ReadFile(filepath.Join(root, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"image: postgres:", "build: .", "TRADESCREEN_DB: postgres://", "condition: service_healthy", "- data:/data", "PGPASSFILE:", "secrets:"} {
		if !strings.Contains(string(compose), want) {
			t.Errorf("docker-compose.yml lacks %q", want)
		}
	}
	if regexp.MustCompile(`postgres://[^@\s]*:[^@\s]*@`).Match(compose) {
		t.Error("docker-compose.yml puts the database password in the URL")
	}
	ignore, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git", "secrets/"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(ignore) {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
	buildImage(t, root)
}

// buildImage builds the image with docker or podman when one reaches its daemon, and runs `tradescreen
// version` in it; otherwise it logs why it did not.
func buildImage(t *testing.T, root string) {
	tool := ""
	for _, name := range []string{"docker", "podman"} {
		if _, err := exec.LookPath(name); err == nil && exec.Command(name, "info").Run() == nil {
			tool = name
			break
		}
	}
	if tool == "" {
		t.Log("no docker or podman with a running daemon: the image was not built, only the recipe checked")
		return
	}
	const tag = "tradescreen:container-test"
	if out, err := exec.Command(tool, "build", "-t", tag, root).CombinedOutput(); err != nil {
		t.Fatalf("%s build: %v\n%s", tool, err, out)
	}
	defer exec.Command(tool, "rmi", tag).Run()
	out, err := exec.Command(tool, "run", "--rm", tag, "version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "tradescreen ") {
		t.Fatalf("%s run %s version: %v\n%s", tool, tag, err, out)
	}
	out, err = exec.Command(tool, "run", "--rm", "--entrypoint", "/usr/local/bin/tradescreen", tag, "healthcheck", "--url", "http://127.0.0.1:1").CombinedOutput()
	if err == nil {
		t.Errorf("healthcheck against nobody succeeded in the image: %s", out)
	}
}
