// Package walkthrough holds the test that runs the README's offline walkthrough ("Try it offline")
// as written: its shell blocks in order, in one bash session in a temporary directory, against the
// cobo-sandbox the walkthrough starts, so the commands newcomers copy cannot rot. It has no code.
package walkthrough
