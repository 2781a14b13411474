package io.gangway.ingress;

import io.gangway.ingress.tls.TlsMaterial;
import io.gangway.model.ClusterSpec;
import io.gangway.model.Destination;
import io.gangway.model.Diagnostic;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.VirtualHost;
import io.gangway.model.policy.Policies;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Prints a translation result as YAML for golden files: the model, then the diagnostics. */
final class ModelYaml {

  private ModelYaml() {}

  static String print(TranslationResult r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "virtualHosts",
        new ArrayList<>(r.model().virtualHosts().stream().map(ModelYaml::vhost).toList()));
    out.put(
        "clusters",
        new ArrayList<>(r.model().clusters().stream().map(ModelYaml::cluster).toList()));
    out.put(
        "registries", new ArrayList<>(r.model().registries().stream().map(c -> c.key()).toList()));
    // Only when present, so cases without TLS keep their output.
    if (!r.model().tls().isEmpty()) {
      Map<String, Object> tls = new LinkedHashMap<>();
      r.model().tls().forEach(b -> tls.put(b.host(), b.certificate()));
      out.put("tls", tls);
    }
    if (!r.model().certificates().isEmpty()) {
      out.put(
          "certificates",
          new ArrayList<>(
              r.model().certificates().stream()
                  .map(
                      c ->
                          c.name()
                              + " <- "
                              + c.source()
                              + " ("
                              + TlsMaterial.describe(c.certificateChain())
                              + ")")
                  .toList()));
    }
    out.put(
        "diagnostics",
        new ArrayList<>(r.diagnostics().stream().map(Diagnostic::toString).toList()));
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndicatorIndent(2);
    o.setIndentWithIndicator(true);
    o.setWidth(160);
    return new Yaml(o).dump(out);
  }

  private static Map<String, Object> vhost(VirtualHost v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("host", v.host());
    List<Object> routes = new ArrayList<>();
    for (Route r : v.routes()) {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("name", r.name());
      rm.put("match", r.match().toString());
      if (!r.policies().isEmpty()) {
        rm.put("policies", policies(r.policies()));
      }
      if (r.action() instanceof RouteAction.Forward f) {
        Map<String, Object> ds = new TreeMap<>();
        for (Destination d : f.destinations()) {
          ds.put(d.cluster(), d.weight());
        }
        rm.put("forward", ds);
      } else if (r.action() instanceof RouteAction.DirectResponse d) {
        rm.put("respond", d.status() + " " + d.body().trim());
      }
      routes.add(rm);
    }
    m.put("routes", routes);
    if (!v.policies().isEmpty()) {
      m.put("policies", policies(v.policies()));
    }
    return m;
  }

  private static String cluster(ClusterSpec c) {
    String s = c.name() + " <- " + c.serviceHost() + " (" + c.protocol() + ")";
    return c.policies().isEmpty() ? s : s + " " + c.policies();
  }

  /** One line per policy, its record's own text: a new family needs no change here. */
  private static List<String> policies(Policies p) {
    return new ArrayList<>(p.all().stream().map(Object::toString).sorted().toList());
  }
}
