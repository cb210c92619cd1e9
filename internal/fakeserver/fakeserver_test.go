package fakeserver_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rolegate/rolegate/internal/fakeserver"
)

func TestNewRecordsEveryCall(t *testing.T) {
	var got []int
	srv := fakeserver.New(t, func(w http.ResponseWriter, _ *http.Request, call int, body map[string]any) {
		got = append(got, call)
		if call == 1 {
			time.Sleep(20 * time.Millisecond)
		}
		io.WriteString(w, "ok")
	})
	for _, body := range []string{`{"model":"m","stream":true}`, `not json`} {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if srv.Calls() != 2 || len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("calls %d, handler saw %v; want 2 calls numbered 1 and 2", srv.Calls(), got)
	}
	if srv.Body(0)["model"] != "m" || srv.Body(0)["stream"] != true {
		t.Errorf("first body %v", srv.Body(0))
	}
	if srv.Body(1) != nil {
		t.Errorf("a body that is not JSON is recorded as nil, got %v", srv.Body(1))
	}
	if srv.Gap() < 20*time.Millisecond {
		t.Errorf("gap %v, want at least the first handler's 20ms", srv.Gap())
	}
}

func TestStartIsClosedByTheCaller(t *testing.T) {
	srv := fakeserver.Start(func(w http.ResponseWriter, _ *http.Request, _ int, _ map[string]any) { io.WriteString(w, "up") })
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	srv.Close()
	if _, err := http.Get(srv.URL); err == nil {
		t.Error("the server still answers after Close")
	}
}

func TestFixedServesByStreamFlag(t *testing.T) {
	srv := httptest.NewServer(fakeserver.Fixed([]byte(`{"plain":1}`), []byte("data: x\n\n")))
	defer srv.Close()
	for _, tt := range []struct{ body, wantType, want string }{
		{`{"stream":true}`, "text/event-stream", "data: x\n\n"},
		{`{"stream":false}`, "application/json", `{"plain":1}`},
		{`not json`, "application/json", `{"plain":1}`},
	} {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(got) != tt.want || resp.Header.Get("Content-Type") != tt.wantType {
			t.Errorf("body %s: got %q (%s), want %q (%s)", tt.body, got, resp.Header.Get("Content-Type"), tt.want, tt.wantType)
		}
	}
}
