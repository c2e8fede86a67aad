package source

import "testing"

func TestCountryCode(t *testing.T) {
	for in, want := range map[string]string{"France": "FR", "United Kingdom": "GB", "Panama": "PA", "Benin": "BJ", "Burkina Faso": "BF", "Antarctica": "AQ", "Trinidad and Tobago": "TT", "Iran": "IR", "Korea, North": "KP", "UK": "GB", "US": "US", "Russia": "RU", "China": "CN", "Hong Kong": "HK", "Congo, Democratic Republic of the": "CD", "Burma": "MM", "Côte d’Ivoire": "CI", "Syria": "SY", "xx-nonsense": ""} {
		if g := CountryCode(in); g != want {
			t.Errorf("%s: got %s want %s", in, g, want)
		}
	}
}

func TestCountryCodeFormerStates(t *testing.T) {
	for in, want := range map[string]string{"Germany": "DE", "Yemen": "YE", "Vietnam": "VN", "Myanmar": "MM", "Serbia": "RS", "Timor-Leste": "TL", "Zaire": "", "East Germany": "DD"} {
		if g := CountryCode(in); g != want && want != "" {
			t.Errorf("%s: got %s want %s", in, g, want)
		}
	}
}
