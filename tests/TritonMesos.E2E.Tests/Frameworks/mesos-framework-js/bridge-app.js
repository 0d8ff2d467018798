"use strict";
// A BRIDGE-networked web app, defined the way mesos-framework's own example
// (examples/dockerSchedulerBridgeNetworking.js) defines one: N instances, one port from the offer each, mapped to a fixed
// container port. Nothing in the library is changed; this file is only the app definition.
// Environment: MASTER_HOST, MASTER_PORT, APP_IMAGE, APP_INSTANCES, APP_CONTAINER_PORT, APP_LABEL ("key=value" docker label).
// Output: one line per status update, "STATUS <json of the TaskStatus>", then whatever the library logs.
var Scheduler = require("mesos-framework").Scheduler;
var Mesos = require("mesos-framework").Mesos.getMesos();

var env = process.env;
var containerPort = parseInt(env.APP_CONTAINER_PORT || "80", 10);
var parameters = env.APP_LABEL ? [new Mesos.Parameter("label", env.APP_LABEL)] : null;

var dockerInfo = new Mesos.ContainerInfo.DockerInfo(
    env.APP_IMAGE,
    Mesos.ContainerInfo.DockerInfo.Network.BRIDGE,
    null,
    false,
    parameters,
    false,
    null);
// mesos-framework 0.5.3 adds the offer's host ports as port mappings only when `docker.network === "BRIDGE"`
// (lib/schedulerHandlers.js), but the DockerInfo constructor stores the enum as the number 2 (even when given the
// string), so the library's own BRIDGE example launches without port mappings. Setting the field to the string after
// construction is the one-line workaround; the library itself is unchanged.
dockerInfo.network = "BRIDGE";

var scheduler = new Scheduler({
    "masterUrl": env.MASTER_HOST || "127.0.0.1",
    "port": parseInt(env.MASTER_PORT || "5050", 10),
    "frameworkName": env.FRAMEWORK_NAME || "mesos-framework-bridge-app",
    "logging": { "level": "info" },
    "tasks": {
        "webservers": {
            "priority": 1,
            "instances": parseInt(env.APP_INSTANCES || "3", 10),
            "containerInfo": new Mesos.ContainerInfo(Mesos.ContainerInfo.Type.DOCKER, null, null, dockerInfo),
            "commandInfo": new Mesos.CommandInfo(
                null, null, true,
                "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p " + containerPort + " -h /www",
                null, null),
            "resources": { "cpus": 0.1, "mem": 32, "ports": 1, "disk": 0 },
            "portMappings": [{ "port": containerPort, "protocol": "tcp" }]
        }
    }
});

scheduler.on("ready", function () { scheduler.subscribe(); });
scheduler.on("subscribed", function (obj) { console.log("SUBSCRIBED " + JSON.stringify(obj)); });
// The library emits the UPDATE event's body ({"status": TaskStatus}); print the TaskStatus itself.
scheduler.on("update", function (update) { console.log("STATUS " + JSON.stringify(update && update.status ? update.status : update)); });
scheduler.on("error", function (error) { console.log("ERROR " + (error && error.message ? error.message : JSON.stringify(error))); });

function stop() {
    scheduler.teardown();
    setTimeout(function () { process.exit(0); }, 2000);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// The test ends the framework by closing stdin.
process.stdin.on("end", stop);
process.stdin.resume();
