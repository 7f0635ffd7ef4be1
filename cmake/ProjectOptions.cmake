# One interface target carries the language level, warnings and sanitizers for every target of
# the project; nothing edits CMAKE_CXX_FLAGS globally.
add_library(lockscope_options INTERFACE)
add_library(LockScope::options ALIAS lockscope_options)
target_compile_features(lockscope_options INTERFACE cxx_std_20)
target_compile_options(lockscope_options INTERFACE
    -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    $<$<BOOL:${LOCKSCOPE_WERROR}>:-Werror>)
if(LOCKSCOPE_SANITIZE)
    target_compile_options(lockscope_options INTERFACE
        -fsanitize=${LOCKSCOPE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(lockscope_options INTERFACE -fsanitize=${LOCKSCOPE_SANITIZE})
endif()
