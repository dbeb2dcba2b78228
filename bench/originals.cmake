# bench_originals: custody at archive scale (`make bench-originals`).
add_executable(bench_originals ${CMAKE_CURRENT_LIST_DIR}/originals_bench.cc)
target_include_directories(bench_originals PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(bench_originals PRIVATE dossier::storage dossier::archive
                      dossier_storage_sqlite_bench)
