package results

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// killEnv names the store the helper process writes to.
const killEnv = "RESULTS_KILL_HELPER_STORE"

// killMetrics is the large metrics payload of point i, so that a write takes long enough to be interrupted.
func killMetrics(i int) json.RawMessage {
	snr := make([]float64, 4000)
	for k := range snr {
		snr[k] = float64(i) + float64(k)/8
	}
	b, _ := json.Marshal(map[string]any{"i": i, "snr": snr})
	return b
}

// TestKillHelper is not a test: it is the process TestKillSafety starts and kills. It writes points
// forever, from the number already stored on, and prints "stored i" after each committed Put.
func TestKillHelper(t *testing.T) {
	path := os.Getenv(killEnv)
	if path == "" {
		t.Skip("helper process for TestKillSafety")
	}
	s, err := Open(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	first, err := s.Count("kill")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	for i := first; ; i++ {
		r := makeRecord(t, "kill", i)
		r.Metrics = killMetrics(i)
		if err := s.Put(r); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("stored", i)
	}
}

// TestKillSafety kills a writing process with SIGKILL three times, at different moments of its loop,
// and checks after each kill that the store opens, passes SQLite's integrity check and holds every
// confirmed point, complete, and no partial row.
func TestKillSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	_, path := openTemp(t, "kill.db")
	confirmed := -1
	for round, delay := range []time.Duration{0, 3 * time.Millisecond, 7 * time.Millisecond} {
		confirmed = killWriter(t, path, confirmed+20, delay)
		checkAfterKill(t, path, confirmed, round)
	}
}

// killWriter runs the helper on path until it confirms point upTo, waits delay, kills it with SIGKILL
// and returns the last confirmed point.
func killWriter(t *testing.T, path string, upTo int, delay time.Duration) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), killEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	watchdog := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	defer watchdog.Stop()
	lines := bufio.NewScanner(out)
	confirmed := -1
	for confirmed < upTo && lines.Scan() {
		f := strings.Fields(lines.Text())
		if len(f) == 2 && f[0] == "stored" {
			confirmed, _ = strconv.Atoi(f[1])
		} else if len(f) > 0 && f[0] == "error" {
			cmd.Process.Kill()
			t.Fatalf("helper: %s", lines.Text())
		}
	}
	time.Sleep(delay)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatalf("kill: %v", err)
	}
	_ = cmd.Wait()
	if confirmed < upTo {
		t.Fatalf("helper confirmed points up to %d only, want %d", confirmed, upTo)
	}
	return confirmed
}

// checkAfterKill checks the store at path holds exactly the points 0..n-1, n > confirmed, each as written.
func checkAfterKill(t *testing.T, path string, confirmed, round int) {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatalf("round %d: reopening after SIGKILL: %v", round, err)
	}
	defer s.Close()
	var check string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("round %d: integrity_check = %q, %v", round, check, err)
	}
	recs, err := s.List("kill")
	if err != nil {
		t.Fatal(err)
	}
	// Every confirmed point is there; the helper may have committed a few more before the kill landed.
	if len(recs) < confirmed+1 {
		t.Fatalf("round %d: %d points after the kill, want at least the %d confirmed", round, len(recs), confirmed+1)
	}
	seen := map[int]bool{}
	for _, got := range recs {
		var m struct{ I int }
		if err := json.Unmarshal(got.Metrics, &m); err != nil {
			t.Fatalf("round %d: row %s: metrics unreadable: %v", round, got.Hash, err)
		}
		want := makeRecord(t, "kill", m.I)
		want.Config, _ = CanonicalJSON(json.RawMessage(want.Config))
		want.Metrics = killMetrics(m.I)
		if d := equalRecords(got, want); d != "" {
			t.Fatalf("round %d: row of point %d is not what was written: %s", round, m.I, d)
		}
		seen[m.I] = true
	}
	for i := range len(recs) {
		if !seen[i] {
			t.Errorf("round %d: points are not 0..%d: %d missing", round, len(recs)-1, i)
		}
	}
	t.Logf("round %d: %d points confirmed, %d stored when killed", round, confirmed+1, len(recs))
}
