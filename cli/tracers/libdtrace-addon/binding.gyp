# heat-tracer's libdtrace binding (Node-API, plain C). Built by build-addon.mjs only where
# libdtrace and its consumer headers are installed; see dtrace-platform.h for the platforms.
{
  "targets": [
    {
      "target_name": "heat_libdtrace",
      "sources": ["addon.c", "aggregation-walk.c", "aggwalk.c", "buckets.c", "close.c", "consume.c", "errors.c", "health.c", "linux-global-maps.c", "previous-values.c", "program.c", "records.c", "snapshot.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "conditions": [
        ["OS=='linux'", {
          "include_dirs": ["<!(node -p \"process.env.DTRACE_INCLUDE || '/usr/include/dtrace-private'\")"],
          "libraries": ["-ldtrace"]
        }],
        ["OS=='mac' or OS=='solaris' or OS=='freebsd'", {
          "libraries": ["-ldtrace"]
        }]
      ]
    }
  ]
}
