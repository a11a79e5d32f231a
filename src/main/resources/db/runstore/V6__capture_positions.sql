-- How far the workers have applied the capture topic, per partition (the next offset to apply). Written by the
-- capture applier after each batch it applied; read to wait until the stream has passed a point (verification
-- re-checks, the cutover's drain). Kept here rather than read from the consumer group's commits, which the
-- messaging layer makes on its own schedule.
CREATE TABLE IF NOT EXISTS ${schema}.capture_positions (
    topic       text NOT NULL,
    partition   int NOT NULL,
    next_offset bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, partition)
);
