# cmake -DFUZZER=<exe> -DRUNS=<n> -DWORK=<dir> -DCORPUS=<dir> -P run_fuzzer.cmake
# Runs one libFuzzer target from an empty work directory plus the checked-in corpus, with seed 1,
# so every run of the test explores the same inputs. Fails when the fuzzer finds a crash.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(
  COMMAND ${FUZZER} -runs=${RUNS} -seed=1 -max_len=65536 -timeout=20 -rss_limit_mb=2048
    -artifact_prefix=${WORK}/ -print_final_stats=1 ${WORK} ${CORPUS}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (exit ${result}); the crashing input is in ${WORK}/")
endif()
