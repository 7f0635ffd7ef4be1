# The Debian package (scripts/package.sh; tests/package inspects it): CPack's DEB generator over
# the install rules, library dependencies from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lockscope)
set(CPACK_PACKAGE_VENDOR "LockScope")
set(CPACK_PACKAGE_CONTACT "LockScope maintainers <lockscope@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # RelWithDebInfo binaries: the debug info is 10x the code
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # lockscope_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The sandbox, the demos and the topologies start these at run time; following a remote server
# needs none of them.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "redis-server, redis-sentinel, redis-tools")
# Saved passwords go to the Secret Service (QtKeychain); without it they are asked each time.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-keyring")
# The synopsis is the project's DESCRIPTION; CPack indents each line of this text itself.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "LockScope follows a Redis server, a Sentinel group, a cluster or a Redlock
group and shows every distributed lock and counter on it, whoever made it:
holder, TTL, state and why it is taken for a lock. Its Demo Lab runs each
locking and counting strategy under faults against throwaway redis-server
processes and explains the verdict. lockscope-cli does the same from a
terminal.")
# cpack installs what is built; scripts/package.sh builds only the programs and the man pages,
# not the test suite (the install step would otherwise build everything first).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
include(CPack)
