# galley_embed(TARGET NAMESPACE ROOT GLOB...): a static library holding every file under ROOT
# matching the globs, as `std::span<const galley::EmbeddedFile> <NAMESPACE>::files()`, sorted by
# path. The files are data only; rebuilding happens when any of them changes.
function(galley_embed target ns root)
  file(GLOB_RECURSE inputs CONFIGURE_DEPENDS RELATIVE "${root}" ${ARGN})
  list(SORT inputs)
  galley_embed_list(${target} ${ns} "${root}" "${inputs}" "")
endfunction()

# galley_embed_files(TARGET NAMESPACE ROOT FILE...): the same for files generated in the build.
function(galley_embed_files target ns root)
  set(inputs "")
  foreach(f IN LISTS ARGN)
    file(RELATIVE_PATH rel "${root}" "${f}")
    list(APPEND inputs "${rel}")
  endforeach()
  galley_embed_list(${target} ${ns} "${root}" "${inputs}" "${ARGN}")
endfunction()

function(galley_embed_list target ns root inputs generated)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}.cpp")
  set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${target}.inputs")
  string(REPLACE ";" "\n" lines "${inputs}")
  file(WRITE "${list_file}.tmp" "${lines}\n")
  file(COPY_FILE "${list_file}.tmp" "${list_file}" ONLY_IF_DIFFERENT)
  set(deps "${generated}")
  if(NOT generated)
    foreach(f IN LISTS inputs)
      list(APPEND deps "${root}/${f}")
    endforeach()
  endif()
  add_custom_command(OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DROOT=${root} -DLIST=${list_file} -DOUT=${out} -DNS=${ns}
            -P "${CMAKE_SOURCE_DIR}/cmake/EmbedGen.cmake"
    DEPENDS ${deps} "${list_file}" "${CMAKE_SOURCE_DIR}/cmake/EmbedGen.cmake"
    COMMENT "Embedding ${target}")
  add_library(${target} STATIC "${out}")
  target_include_directories(${target} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${target} PRIVATE galley_settings)
endfunction()
