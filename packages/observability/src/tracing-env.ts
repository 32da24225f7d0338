type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether the standard OTEL_* variables ask for traces: an exporter named (other than `none`) or an OTLP
 * endpoint given, and the SDK not disabled. Nothing is loaded or sent otherwise.
 */
export const tracingRequested = (env: Env = process.env): boolean => {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((e) => e.trim()).filter((e) => e !== '') ?? [];
  if (exporters.length > 0) return !exporters.every((e) => e === 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
};
