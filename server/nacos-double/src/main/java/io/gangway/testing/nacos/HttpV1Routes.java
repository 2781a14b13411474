package io.gangway.testing.nacos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.gangway.testing.nacos.NamingStore.InstanceRecord;
import io.gangway.testing.nacos.NamingStore.ServiceKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The v1 Open API subset ({@code nacos.io/docs/v1/open-api}) that 2.x/3.0/3.1 servers still serve:
 * config get/publish/delete and long-polling listener, instance list, service list, and ephemeral
 * instance register/deregister/beat. Instances registered over HTTP never expire (the server would
 * drop them 30 s after the last beat). Parameters are already parsed and authorised by {@link
 * HttpApi}.
 */
final class HttpV1Routes {

  static final Set<String> ROUTES =
      Set.of(
          "GET /nacos/v1/cs/configs",
          "POST /nacos/v1/cs/configs",
          "DELETE /nacos/v1/cs/configs",
          "POST /nacos/v1/cs/configs/listener",
          "GET /nacos/v1/ns/instance/list",
          "GET /nacos/v1/ns/service/list",
          "POST /nacos/v1/ns/instance",
          "DELETE /nacos/v1/ns/instance",
          "PUT /nacos/v1/ns/instance/beat");

  /** An HTTP-date (RFC 9110 IMF-fixdate), as the server's {@code Last-Modified}. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private final ConfigStore configs;
  private final NamingStore naming;
  private final ConfigLongPolling polling;
  private final Duration readAfterWriteDelay;

  HttpV1Routes(
      ConfigStore configs,
      NamingStore naming,
      ConfigLongPolling polling,
      Duration readAfterWriteDelay) {
    this.configs = configs;
    this.naming = naming;
    this.polling = polling;
    this.readAfterWriteDelay = readAfterWriteDelay;
  }

  boolean handles(String route) {
    return ROUTES.contains(route);
  }

  void handle(String route, HttpExchange exchange, Map<String, String> params) throws IOException {
    switch (route) {
      case "GET /nacos/v1/cs/configs" -> getConfig(exchange, params);
      case "POST /nacos/v1/cs/configs" -> publishConfig(exchange, params);
      case "DELETE /nacos/v1/cs/configs" -> deleteConfig(exchange, params);
      case "POST /nacos/v1/cs/configs/listener" -> polling.handle(exchange, params);
      case "GET /nacos/v1/ns/instance/list" -> listInstances(exchange, params);
      case "GET /nacos/v1/ns/service/list" -> listServices(exchange, params);
      case "POST /nacos/v1/ns/instance" -> register(exchange, params);
      case "DELETE /nacos/v1/ns/instance" -> deregister(exchange, params);
      case "PUT /nacos/v1/ns/instance/beat" -> beat(exchange, params);
      default -> throw new IllegalArgumentException("route: " + route);
    }
  }

  private void getConfig(HttpExchange exchange, Map<String, String> params) {
    String dataId = params.getOrDefault("dataId", "");
    String group = params.getOrDefault("group", "");
    String invalid = ConfigParams.check(dataId, group, "get");
    if (invalid != null) {
      HttpApi.send(exchange, 400, invalid);
      return;
    }
    ConfigStore.Item item = configs.get(ConfigStore.Key.of(params.get("tenant"), group, dataId));
    if (item == null
        || System.currentTimeMillis() - item.lastModified() < readAfterWriteDelay.toMillis()) {
      HttpApi.send(exchange, 404, "config data not exist\n");
      return;
    }
    exchange.getResponseHeaders().set("Config-Type", item.type());
    exchange.getResponseHeaders().set("Content-MD5", item.md5());
    exchange
        .getResponseHeaders()
        .set(
            "Last-Modified",
            HTTP_DATE.format(Instant.ofEpochMilli(item.lastModified()).atZone(ZoneOffset.UTC)));
    exchange.getResponseHeaders().set("Pragma", "no-cache");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache,no-store");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Type",
            switch (item.type()) {
              case "json" -> "application/json;charset=UTF-8";
              case "xml" -> "application/xml;charset=UTF-8";
              case "html" -> "text/html;charset=UTF-8";
              default -> "text/plain;charset=UTF-8";
            });
    HttpApi.send(exchange, 200, item.content());
  }

  private void publishConfig(HttpExchange exchange, Map<String, String> params) {
    String dataId = params.getOrDefault("dataId", "");
    String group = params.getOrDefault("group", "");
    String content = params.getOrDefault("content", "");
    String invalid = ConfigParams.check(dataId, group, content);
    if (invalid != null) {
      HttpApi.send(exchange, 400, invalid);
      return;
    }
    String type = params.getOrDefault("type", "");
    // As a 3.x server: CAS only through the casMd5 header; a casMd5 form field is ignored (the
    // publish
    // overwrites), and a failed CAS answers 500 with the body "false".
    String casMd5 = exchange.getRequestHeaders().getFirst("casMd5");
    ConfigStore.Outcome outcome =
        configs.publish(
            ConfigStore.Key.of(params.get("tenant"), group, dataId),
            content,
            ConfigRpc.CONFIG_TYPES.contains(type) ? type : "text",
            casMd5);
    if (outcome == ConfigStore.Outcome.CAS_CONFLICT) {
      HttpApi.send(exchange, 500, "false");
      return;
    }
    HttpApi.send(exchange, 200, "true");
  }

  private void deleteConfig(HttpExchange exchange, Map<String, String> params) {
    String dataId = params.getOrDefault("dataId", "");
    String group = params.getOrDefault("group", "");
    String invalid = ConfigParams.check(dataId, group, "rm");
    if (invalid != null) {
      HttpApi.send(exchange, 400, invalid);
      return;
    }
    configs.remove(ConfigStore.Key.of(params.get("tenant"), group, dataId));
    HttpApi.send(exchange, 200, "true");
  }

  private void listInstances(HttpExchange exchange, Map<String, String> params) {
    ServiceKey service = service(params);
    if (service == null) {
      HttpApi.send(exchange, 400, "Param 'serviceName' is required.");
      return;
    }
    boolean healthyOnly = Boolean.parseBoolean(params.getOrDefault("healthyOnly", "false"));
    HttpApi.sendJson(
        exchange,
        200,
        naming.serviceInfo(service, params.getOrDefault("clusters", ""), healthyOnly, true));
  }

  private void listServices(HttpExchange exchange, Map<String, String> params) {
    int pageNo;
    int pageSize;
    try {
      pageNo = Integer.parseInt(params.getOrDefault("pageNo", ""));
      pageSize = Integer.parseInt(params.getOrDefault("pageSize", ""));
    } catch (NumberFormatException e) {
      HttpApi.send(exchange, 400, "Param 'pageNo' and 'pageSize' are required numbers.");
      return;
    }
    ServiceKey probe = ServiceKey.of(params.get("namespaceId"), params.get("groupName"), "-");
    List<String> names = naming.serviceNames(probe.namespace(), probe.group());
    int start = Math.max(0, (pageNo - 1) * pageSize);
    ObjectNode body = Json.object();
    body.put("count", names.size());
    ArrayNode doms = body.putArray("doms");
    if (start < names.size()) {
      names.subList(start, Math.min(names.size(), start + pageSize)).forEach(doms::add);
    }
    HttpApi.sendJson(exchange, 200, body);
  }

  private void register(HttpExchange exchange, Map<String, String> params) throws IOException {
    ServiceKey service = service(params);
    if (service == null) {
      HttpApi.send(exchange, 400, "Param 'serviceName' is required.");
      return;
    }
    ObjectNode instance = Json.object();
    instance.put("ip", params.getOrDefault("ip", ""));
    instance.put("port", Integer.parseInt(params.getOrDefault("port", "0")));
    instance.put("weight", Double.parseDouble(params.getOrDefault("weight", "1")));
    instance.put("healthy", Boolean.parseBoolean(params.getOrDefault("healthy", "true")));
    instance.put("enabled", Boolean.parseBoolean(params.getOrDefault("enabled", "true")));
    instance.put("ephemeral", Boolean.parseBoolean(params.getOrDefault("ephemeral", "true")));
    instance.put("clusterName", params.getOrDefault("clusterName", NamingStore.DEFAULT_CLUSTER));
    String metadata = params.getOrDefault("metadata", "");
    if (!metadata.isBlank()) {
      instance.set("metadata", Json.parse(metadata.getBytes(StandardCharsets.UTF_8)));
    }
    InstanceRecord record;
    try {
      record = NamingRpc.parseInstance(instance, service);
    } catch (RpcException e) {
      HttpApi.send(exchange, e.code(), e.getMessage());
      return;
    }
    naming.publish(owner(record.ip(), record.port(), record.cluster()), service, List.of(record));
    HttpApi.send(exchange, 200, "ok");
  }

  private void deregister(HttpExchange exchange, Map<String, String> params) {
    ServiceKey service = service(params);
    if (service == null) {
      HttpApi.send(exchange, 400, "Param 'serviceName' is required.");
      return;
    }
    String cluster = params.getOrDefault("clusterName", NamingStore.DEFAULT_CLUSTER);
    naming.unpublish(
        owner(params.getOrDefault("ip", ""), intParam(params, "port"), cluster), service);
    HttpApi.send(exchange, 200, "ok");
  }

  private void beat(HttpExchange exchange, Map<String, String> params) throws IOException {
    ServiceKey service = service(params);
    if (service == null) {
      HttpApi.send(exchange, 400, "Param 'serviceName' is required.");
      return;
    }
    String ip = params.getOrDefault("ip", "");
    int port = intParam(params, "port");
    String cluster = params.getOrDefault("clusterName", NamingStore.DEFAULT_CLUSTER);
    String beat = params.getOrDefault("beat", "");
    if (!beat.isBlank()) {
      JsonNode info = Json.parse(beat.getBytes(StandardCharsets.UTF_8));
      ip = Json.text(info, "ip");
      port = info.path("port").asInt();
      cluster = Json.text(info, "cluster").isBlank() ? cluster : Json.text(info, "cluster");
    }
    boolean known = naming.publishes(owner(ip, port, cluster), service);
    ObjectNode body = Json.object();
    body.put("clientBeatInterval", 5000);
    body.put("code", known ? 10200 : 20404); // 20404: the client registers again
    body.put("lightBeatEnabled", true);
    HttpApi.sendJson(exchange, 200, body);
  }

  /** {@code ServiceNameFilter}: a plain name is prefixed with {@code groupName} (default group). */
  private static @Nullable ServiceKey service(Map<String, String> params) {
    String serviceName = params.getOrDefault("serviceName", "").trim();
    if (serviceName.isEmpty()) {
      return null;
    }
    String group = params.get("groupName");
    int split = serviceName.indexOf("@@");
    if (split >= 0) {
      group = serviceName.substring(0, split);
      serviceName = serviceName.substring(split + 2);
    }
    return ServiceKey.of(params.get("namespaceId"), group, serviceName);
  }

  private static String owner(String ip, int port, String cluster) {
    return "http:" + ip + ":" + port + ":" + cluster;
  }

  private static int intParam(Map<String, String> params, String name) {
    try {
      return Integer.parseInt(params.getOrDefault(name, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
