# queues
