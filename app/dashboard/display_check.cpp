#include "app/dashboard/display_check.h"

#include <xcb/xcb.h>

#include <cstdlib>
#include <string_view>

namespace lockscope::app {

std::optional<std::string> displayProblem() {
    const char* platform = std::getenv("QT_QPA_PLATFORM");
    if (platform && *platform && std::string_view(platform).substr(0, 3) != "xcb")
        return std::nullopt;  // offscreen, wayland, vnc...: not ours to judge
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if (!platform && wayland && *wayland) return std::nullopt;
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display)
        return std::string(
            "no display (DISPLAY is not set): run it in a desktop session, under "
            "xvfb-run -a lockscope, or use lockscope-cli in a terminal");
    int screen = 0;
    xcb_connection_t* c = xcb_connect(display, &screen);
    const int error = xcb_connection_has_error(c);
    xcb_disconnect(c);  // also frees a connection in the error state
    if (error == 0) return std::nullopt;
    return "cannot open the display DISPLAY=" + std::string(display) +
           (error == XCB_CONN_CLOSED_PARSE_ERR ? " (not a display name)"
                                               : " (no X server answers there, or it refuses us)") +
           ": start it, set DISPLAY to a running one, use xvfb-run -a lockscope, or lockscope-cli "
           "in a terminal";
}

}  // namespace lockscope::app
