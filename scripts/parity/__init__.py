"""Parity gates: codeflash-discover against its reference, codeflash 0.20.6's `discover_unit_tests`.

Stdlib only (the reference side needs codeflash, jedi and pytest in the reference Python). Each gate
runs as a file, `python scripts/parity/<gate>.py ...` (see its docstring); scripts/test_all runs them all.

  common.py            shared pieces: repository paths, the reference Python, argument groups,
                       subprocess + JSON helpers, temp folders, FILE::QUALNAME specs, fixture cases
  reference_runner.py  runs the reference in the reference venv, standalone (imports nothing from
                       here); its content is part of the judge's cache key: never edit it lightly
  refcache.py          the judge's on-disk cache of reference runs
  judge.py             one project, one input set: ours against K unpatched reference runs
  fixtures_gate.py     the judge over every case of fixtures/*/compare_cases.json
  networkx_gate.py     the judge over networkx's own test suite
  tracer.py            the instrumented reference ImportAnalyzer (visit order); module and CLI
  filter_gate.py       our import filter against the reference's, answers or visit order
  refresh_expected.py  writes/checks the reference answers committed under tests/expected/
  jedi_multi_goto.py   lists names whose Jedi `goto` is ambiguous (a fixture-writing aid)

Benchmarks live apart, in scripts/bench/.
"""
