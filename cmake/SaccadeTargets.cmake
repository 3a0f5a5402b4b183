# Helpers that keep every library and test target declared the same way.

# saccade_add_library(NAME [CORE] SOURCES... LINKS... PRIVATE_LINKS...): a static library rooted at the
# source tree so that includes read "core/media/videodecoder.h". CORE libraries join saccade_core.
function(saccade_add_library name)
    cmake_parse_arguments(ARG "CORE" "" "SOURCES;LINKS;PRIVATE_LINKS" ${ARGN})
    add_library(${name} STATIC ${ARG_SOURCES})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${ARG_LINKS} PRIVATE ${ARG_PRIVATE_LINKS})
    if(ARG_CORE)
        set_property(GLOBAL APPEND PROPERTY SACCADE_CORE_LIBRARIES ${name})
    endif()
endfunction()

# saccade_add_tests(AREA LINKS...): one Qt Test executable per tests/AREA/tst_*.cpp, run by CTest
# offscreen with the source tree and a scratch folder in the environment.
function(saccade_add_tests area)
    cmake_parse_arguments(ARG "" "TIMEOUT" "LINKS" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    file(GLOB test_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${area}/tst_*.cpp)
    foreach(source ${test_sources})
        get_filename_component(test_name ${source} NAME_WE)
        set(target ${area}_${test_name})
        add_executable(${target} ${source})
        target_link_libraries(${target} PRIVATE Qt6::Test ${ARG_LINKS})
        target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})
        add_test(NAME ${area}/${test_name} COMMAND ${target})
        set_tests_properties(${area}/${test_name} PROPERTIES
            TIMEOUT ${ARG_TIMEOUT}
            LABELS ${area}
            ENVIRONMENT "QT_QPA_PLATFORM=offscreen;SACCADE_SOURCE_DIR=${PROJECT_SOURCE_DIR};SACCADE_CLI=$<TARGET_FILE:saccade-cli>;OMP_NUM_THREADS=2;OMP_WAIT_POLICY=PASSIVE")
    endforeach()
endfunction()
