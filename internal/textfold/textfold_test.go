package textfold

import "testing"

func TestInvisible(t *testing.T) {
	for _, r := range []rune{0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x2066, 0x2069, 0x202e, 0xfe0f, 0xe0041, 0x034f, 0x3164} {
		if !Invisible(r) {
			t.Errorf("Invisible(%U) = false", r)
		}
	}
	for _, r := range []rune{'a', ' ', '\n', 0x00a0, 0x00e9, 0x2019, 0x2014, 0x4e00, 0xff21} {
		if Invisible(r) {
			t.Errorf("Invisible(%U) = true", r)
		}
	}
}

func TestFullwidth(t *testing.T) {
	for r, want := range map[rune]byte{0xff21: 'A', 0xff41: 'a', 0xff10: '0', 0xff01: '!', 0xff5e: '~'} {
		if got, ok := Fullwidth(r); !ok || got != want {
			t.Errorf("Fullwidth(%U) = %q, %v; want %q", r, got, ok, want)
		}
	}
	for _, r := range []rune{'A', 0xff00, 0xff5f, 0x3000} {
		if _, ok := Fullwidth(r); ok {
			t.Errorf("Fullwidth(%U) reported a fullwidth form", r)
		}
	}
}
