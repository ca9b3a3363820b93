# Golden values for ConcernLensTests: R's exact two-sided binomial test and BH adjustment.
# Run: Rscript Tests/HotspotsTests/Golden/binom_test.R  (R 4.2.2, Debian 12; base R only)
cases <- list(c(3, 20, 0.3), c(12, 20, 0.3), c(0, 15, 0.1), c(40, 100, 0.25), c(7, 7, 0.5), c(250, 1000, 0.2),
              c(0, 100, 0.1), c(20, 40, 0.1), c(5, 50, 0.1))
for (a in cases) cat(sprintf("(%d, %d, %.2f, %.17g),\n", as.integer(a[1]), as.integer(a[2]), a[3], binom.test(a[1], a[2], a[3])$p.value))
cat("BH of the last three (in the order 20/40, 0/100, 5/50):",
    sprintf("%.17g", p.adjust(c(binom.test(20, 40, 0.1)$p.value, binom.test(0, 100, 0.1)$p.value, binom.test(5, 50, 0.1)$p.value), "BH")), "\n")
cat(R.version.string, "\n")
