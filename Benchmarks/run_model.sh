#!/usr/bin/env bash
# Times RiskModel (ModelBench) and the R peers on the same London-like design, in one session.
#   Benchmarks/run_model.sh [--quick]        # --quick: 800² cells instead of 1600²
# Writes Benchmarks/results/model-<date>.md (ignored by git; copy the table into
# docs/benchmarks-model.md). R peer cases (each under a timeout, one R process at a time):
#   glm.fit poisson on the first 50 columns (all cells); glmnet(alpha 0.5) one path on the same;
#   cv.glmnet(alpha 0.5, 10 folds, 2 forked workers as the peer pipeline) on the first SUB rows
#   × all columns — the full 2.56 M × 240 cv.glmnet takes ~16 min, so it is not repeated here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
side=1600; sub=256000
[[ "${1:-}" == "--quick" ]] && { side=800; sub=64000; }
out="$here/results"; mkdir -p "$out"
data="$(mktemp -d /tmp/rtm-model-bench.XXXXXX)"
trap 'rm -rf "$data"' EXIT
report="$out/model-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# ModelBench $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo; echo "uptime before: $(uptime)"; echo; echo "nproc $(nproc); $(Rscript --version 2>&1 | head -1)"
} > "$report"

cd "$here"
swift build -c release --scratch-path .build-model --product ModelBench >/dev/null
echo "== Swift (ModelBench, side $side)" >&2
./.build-model/release/ModelBench --side "$side" --subsample "$sub" --peer-dir "$data" --scaling | tee -a "$report"

cat > "$data/peer.R" <<'RS'
suppressMessages({ library(Matrix); library(glmnet) })
args <- commandArgs(trailingOnly = TRUE); dir <- args[1]; case <- args[2]
kv <- read.table(file.path(dir, "meta.txt")); meta <- setNames(kv$V2, kv$V1)
n <- meta[["n"]]; p <- meta[["p"]]; nnz <- meta[["nnz"]]; sub <- meta[["sub"]]
rd <- function(f, what, k) { con <- file(file.path(dir, f), "rb"); on.exit(close(con)); readBin(con, what, n = k, size = if (what == "integer") 4L else 8L) }
y <- rd("y.bin", "double", n)
i <- rd("i.bin", "integer", nnz); pp <- rd("p.bin", "integer", p + 1)
X <- new("dgCMatrix", i = i, p = pp, x = rep(1, nnz), Dim = c(as.integer(n), as.integer(p))); rm(i)
t0 <- proc.time()[["elapsed"]]
if (case == "glm50") {
  x <- as.matrix(X[, 1:50]); t0 <- proc.time()[["elapsed"]]
  fit <- glm.fit(cbind(1, x), y, family = poisson()); note <- sprintf("%d IRLS iterations", fit$iter)
} else if (case == "path50") {
  x <- X[, 1:50]; t0 <- proc.time()[["elapsed"]]
  fit <- glmnet(x, y, family = "poisson", alpha = 0.5); note <- sprintf("%d lambdas", length(fit$lambda))
} else if (case == "cvsub") {
  x <- X[1:sub, ]; yy <- y[1:sub]; suppressMessages(doParallel::registerDoParallel(cores = 2))
  set.seed(1); foldid <- sample(rep(1:10, length.out = sub)); t0 <- proc.time()[["elapsed"]]
  cv <- cv.glmnet(x, yy, family = "poisson", alpha = 0.5, foldid = foldid, parallel = TRUE)
  note <- sprintf("%d lambdas, lambda.min %.3g, %d non-zero", length(cv$lambda), cv$lambda.min, sum(coef(cv, s = "lambda.min")[-1] != 0))
}
el <- proc.time()[["elapsed"]] - t0
cat(sprintf("| R %s %s | %s | %.3f | %s |\n", getRversion(), case, format(Sys.time(), "%H:%M:%S"), el, note))
RS
{
  echo; echo "## R peers (glmnet $(Rscript -e 'cat(as.character(packageVersion("glmnet")))'))"; echo
  echo "| case | finished | seconds | notes |"; echo "|---|---|---|---|"
} >> "$report"
for c in glm50 path50 cvsub; do
  echo "== R $c" >&2
  timeout 480 Rscript --vanilla "$data/peer.R" "$data" "$c" >> "$report" 2>>"$out/peer-stderr.log" \
    || echo "| R $c | — | > 480 (timeout or error) | see results/peer-stderr.log |" >> "$report"
done
echo; echo "uptime after: $(uptime)" >> "$report"
cat "$report"
