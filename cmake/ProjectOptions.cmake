# One interface target carries the language level, warnings and sanitizers for every target of
# the project; nothing edits CMAKE_CXX_FLAGS globally.
add_library(lockscope_options INTERFACE)
add_library(LockScope::options ALIAS lockscope_options)
target_compile_features(lockscope_options INTERFACE cxx_std_20)
target_compile_options(lockscope_options INTERFACE
    -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
    $<$<BOOL:${LOCKSCOPE_WERROR}>:-Werror>)
# Debug information is kept (backtraces with lines from CI and the soak) but compressed: uncompressed
# it made ~95 % of each test binary and a CI build tree of 5 GB, which filled a CI machine's disk
# ("No space left on device" while linking). zlib-compressed it takes about a third.
option(LOCKSCOPE_COMPRESS_DEBUG "Compress debug sections in objects and executables (-gz)" ON)
if(LOCKSCOPE_COMPRESS_DEBUG)
    target_compile_options(lockscope_options INTERFACE -gz)
    target_link_options(lockscope_options INTERFACE -gz)
endif()
if(LOCKSCOPE_SANITIZE)
    target_compile_options(lockscope_options INTERFACE
        -fsanitize=${LOCKSCOPE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(lockscope_options INTERFACE -fsanitize=${LOCKSCOPE_SANITIZE})
endif()
