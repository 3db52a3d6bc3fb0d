// Package walkthrough holds the tests that run the documentation as written, so that the commands
// newcomers copy cannot rot: the README's offline walkthrough ("Try it offline") and the guide "Refund
// a paid order" (after the walkthrough's setup). Each runs its shell blocks in order (the guide's
// configuration blocks added to main.tf), in one bash session in a temporary directory, against the
// cobo-sandbox the walkthrough starts, and checks what the text says the commands show. It has no code.
package walkthrough
