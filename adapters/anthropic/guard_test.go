package anthropic_test

import (
	"testing"

	"github.com/rolegate/rolegate/guard/guardtest"
)

func TestGuardVerdictParity(t *testing.T) {
	guardtest.CheckVerdictParity(t, kitClient)
}
