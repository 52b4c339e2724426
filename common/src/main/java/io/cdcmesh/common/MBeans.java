package io.cdcmesh.common;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Registers per-task metrics MBeans under the io.cdcmesh domain, replacing a name a restarted task left. */
public final class MBeans {
    private MBeans() {}

    /** {@code io.cdcmesh:type=<type>,connector="<connector>",task="<task>"} */
    public static ObjectName taskName(String type, String connector, String task) throws JMException {
        return new ObjectName("io.cdcmesh:type=" + type + ",connector=" + ObjectName.quote(connector)
                + ",task=" + ObjectName.quote(task));
    }

    /** Registers {@code mbean}; returns its name, or null if it could not be registered (metrics are not worth a failure). */
    public static ObjectName register(Object mbean, String type, String connector, String task) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = taskName(type, connector, task);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(mbean, name);
            return name;
        } catch (JMException e) {
            return null;
        }
    }

    public static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException e) {
            // already gone
        }
    }
}
