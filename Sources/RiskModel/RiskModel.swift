// The statistical core: GLMs (Poisson, NB2), elastic net with CV, stepwise BIC. See issue 4.
