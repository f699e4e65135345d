# heat-tracer's libdtrace binding (Node-API, plain C). Built by build-addon.mjs only where
# libdtrace and its consumer headers are installed; see dtrace-platform.h for the platforms.
{
  "targets": [
    {
      "target_name": "heat_libdtrace",
      "sources": ["addon.c", "aggregations.c", "buckets.c", "consume.c", "health.c", "linux-global-maps.c", "previous-values.c", "records.c"],
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
