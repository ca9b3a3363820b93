#!/usr/bin/env Rscript
# Golden values for RiskModel's tests (Tests/RiskModelTests). Run from this folder:
#   Rscript --vanilla make_golden.R
# Writes fixture.csv (the simulated data) and golden_*.txt (R's results, one "key value..." per
# line, %.17g) plus versions.txt. Seeded: the same R version gives the same bytes.
# Simulation: n = 3000 cells; binary b1..b5 (b5 pure noise), continuous c1, c2; exposure in
# [0.5, 2] (offset = log exposure); y_pois ~ Poisson, y_nb ~ NB2 (theta 1.5) from known betas;
# fold = 1..5 for the CV golden, drawn as cv.glmnet draws foldid.
# Tolerances used by the Swift tests: glm 1e-6 relative; glm.nb 1e-4 relative (theta.ml stops at
# |step| < eps^0.25); glmnet 2e-4 absolute on the original scale (glmnet's coordinate descent stops
# when max v_j * dbeta_j^2 < thresh * null deviance, thresh = 1e-7, so each fit is only accurate to
# roughly sqrt(1e-7 * dev0 / v_j) — about 1e-4 on these columns).
suppressMessages({ library(MASS); library(glmnet) })
set.seed(20261121)
n <- 3000
b1 <- rbinom(n, 1, 0.30); b2 <- rbinom(n, 1, 0.15); b3 <- rbinom(n, 1, 0.50)
b4 <- as.integer(runif(n) < ifelse(b1 == 1, 0.6, 0.2))   # correlated with b1
b5 <- rbinom(n, 1, 0.25)
c1 <- round(rnorm(n), 6); c2 <- round(runif(n, 0, 3), 6)
expo <- round(runif(n, 0.5, 2), 6); off <- log(expo)
eta <- -1.0 + 0.6 * b1 + 0.4 * b2 - 0.3 * b3 + 0.25 * b4 + 0.2 * c1 - 0.15 * c2
y_pois <- rpois(n, exp(eta + off))
mu_nb <- exp(eta + off)
y_nb <- rnbinom(n, size = 1.5, mu = mu_nb)
fold <- sample(rep(1:5, length.out = n))
d <- data.frame(y_pois, y_nb, offset = sprintf("%.17g", off), b1, b2, b3, b4, b5, c1, c2, fold)
write.csv(d, "fixture.csv", row.names = FALSE, quote = FALSE)
d <- read.csv("fixture.csv")   # fit on exactly the values the Swift tests read
off <- d$offset

ctl <- glm.control(epsilon = 1e-14, maxit = 100)
out <- function(file, lines) writeLines(lines, file)
kv <- function(k, v) sprintf("%s %s", k, paste(sprintf("%.17g", v), collapse = " "))
glm_lines <- function(fit) {
  s <- summary(fit)$coefficients
  c(kv("coef", s[, 1]), kv("se", s[, 2]), kv("loglik", as.numeric(logLik(fit))),
    kv("deviance", deviance(fit)), kv("aic", AIC(fit)), kv("bic", BIC(fit)))
}
f_all <- y_pois ~ b1 + b2 + b3 + b4 + b5 + c1 + c2 + offset(offset)
f_bin <- y_pois ~ b1 + b2 + b3 + b4 + offset(offset)
out("golden_glm_poisson.txt", glm_lines(glm(f_all, family = poisson, data = d, control = ctl)))
out("golden_glm_poisson_binary.txt", glm_lines(glm(f_bin, family = poisson, data = d, control = ctl)))

nb_lines <- function(fit) {
  c(glm_lines(fit)[1:2], kv("theta", fit$theta), kv("se_theta", fit$SE.theta),
    kv("loglik", as.numeric(logLik(fit))), kv("aic", AIC(fit)), kv("bic", BIC(fit)))
}
nb_all <- glm.nb(y_nb ~ b1 + b2 + b3 + b4 + b5 + c1 + c2 + offset(offset), data = d, control = ctl)
nb_bin <- glm.nb(y_nb ~ b1 + b2 + b3 + b4, data = d, control = ctl)   # no offset: grouped NB path
out("golden_glm_nb.txt", nb_lines(nb_all))
out("golden_glm_nb_binary.txt", nb_lines(nb_bin))

x <- as.matrix(d[, c("b1", "b2", "b3", "b4", "b5", "c1", "c2")])
en_lines <- function(fit) {
  b <- as.matrix(coef(fit))
  c(kv("lambda", fit$lambda), kv("dev_ratio", fit$dev.ratio),
    sapply(seq_len(ncol(b)), function(j) kv(sprintf("coef%d", j), b[, j])))
}
out("golden_glmnet.txt", en_lines(glmnet(x, d$y_pois, family = "poisson", alpha = 0.5)))
out("golden_glmnet_tight.txt", en_lines(glmnet(x, d$y_pois, family = "poisson", alpha = 0.5, thresh = 1e-13)))
cv <- cv.glmnet(x, d$y_pois, family = "poisson", alpha = 0.5, foldid = d$fold, thresh = 1e-13)
out("golden_cvglmnet.txt", c(kv("lambda", cv$lambda), kv("cvm", cv$cvm), kv("cvsd", cv$cvsd),
                             kv("lambda_min", cv$lambda.min), kv("lambda_1se", cv$lambda.1se)))
# Binary columns only: the Swift side runs the folds in lockstep on exact row groups.
cvb <- cv.glmnet(as.matrix(d[, c("b1", "b2", "b3", "b4", "b5")]), d$y_pois, family = "poisson", alpha = 0.5,
                 foldid = d$fold, thresh = 1e-13)
out("golden_cvglmnet_binary.txt", c(kv("lambda", cvb$lambda), kv("cvm", cvb$cvm), kv("cvsd", cvb$cvsd),
                                    kv("lambda_min", cvb$lambda.min), kv("lambda_1se", cvb$lambda.1se)))
out("versions.txt", c(R.version.string, sprintf("MASS %s", packageVersion("MASS")),
                      sprintf("glmnet %s", packageVersion("glmnet"))))
