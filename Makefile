# Shortcuts for the README's two commands (which need no make).
.PHONY: setup demo test clean
setup:
	bash scripts/setup.sh
demo:
	bash scripts/demo.sh
test:
	bash scripts/test.sh
clean:
	rm -rf .build out
