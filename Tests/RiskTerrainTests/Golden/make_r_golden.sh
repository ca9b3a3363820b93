#!/usr/bin/env bash
# Golden values for the replication test: R's glm(family = poisson) on the cell-level design of
# replicate.yaml. The cells come from the peer pipeline's --export-design (an implementation
# independent of RiskTerrain), the fit from R alone. Needs R and the peers (shared/peers/setup.sh).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
python3 ../../../../shared/peers/pipeline.py replicate.yaml --out "$tmp/out" -q --export-design "$tmp/design.csv" > /dev/null
Rscript --vanilla - "$tmp/design.csv" > replicate_glm.txt <<'R'
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], check.names = FALSE)
terms <- setdiff(names(d), c("x", "y", "count"))
f <- glm(reformulate(sprintf("`%s`", terms), "count"), data = d, family = poisson,
         control = glm.control(epsilon = 1e-14, maxit = 100))
s <- summary(f)$coefficients
cat(sprintf("# R %s, glm(family = poisson), %d cells, %d events\n", getRversion(), nrow(d), sum(d$count)))
cat(sprintf("loglik %.12g\n", as.numeric(logLik(f))))
cat(sprintf("%s %.12g %.12g\n", c("(Intercept)", terms), s[, 1], s[, 2]), sep = "")
R
rm -rf "$tmp"
cat replicate_glm.txt
